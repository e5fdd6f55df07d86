"""Request limits: body size (413), message length (422), per-client rate (429)."""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WINDOW_SECONDS = 60.0


class BodyTooLarge(HTTPException):
    """The request body passed the configured cap (raised while it is being read)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: the limit is {limit} bytes")


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` (or a path's own cap): by Content-Length, else by counting."""

    def __init__(self, app: ASGIApp, max_bytes: int,
                 per_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Slack's events carry a whole message twice; its endpoint needs a larger cap.
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a byte-counting receive, or answer 413 at once."""
        limit = self.per_path.get(scope.get("path", ""), self.max_bytes) \
            if scope["type"] == "http" else 0
        if limit <= 0:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_413(send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                # Chunked uploads declare no length: stop reading as soon as the cap passes.
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            # Routes that read the body themselves get a 413 from FastAPI's handler; this
            # catches any reader outside it.
            if started:
                raise
            await _send_413(send, limit)


async def _send_413(send: Send, limit: int) -> None:
    body = json.dumps({"detail": BodyTooLarge(limit).detail}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def check_message_length(text: str, limit: int, what: str = "message") -> None:
    """422 with a clear message when a reader's text is longer than the configured cap."""
    if limit > 0 and len(text) > limit:
        raise HTTPException(422, f"{what} too long: {len(text)} characters; "
                                 f"the limit is {limit}")


class RateLimiter:
    """At most `per_minute` requests per client in any sliding 60-second window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def check(self, client: str) -> float:
        """Record a request; 0 when allowed, else the seconds to wait before retrying."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            self._sweep(now)
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(hits[0] + WINDOW_SECONDS - now, 0.001)
            hits.append(now)
            return 0.0

    def wait_time(self, client: str) -> float:
        """Seconds this client must wait before its next request counts; 0 when it may go."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            hits = self._hits.get(client)
            while hits and hits[0] <= now - WINDOW_SECONDS:
                hits.popleft()
            if hits is not None and len(hits) >= self.per_minute:
                return max(hits[0] + WINDOW_SECONDS - now, 0.001)
            return 0.0

    def _sweep(self, now: float) -> None:
        # Forget idle clients now and then, so the table does not grow with every address.
        if now - self._swept < WINDOW_SECONDS:
            return
        self._swept = now
        for client in [c for c, h in self._hits.items() if not h or h[-1] <= now - WINDOW_SECONDS]:
            del self._hits[client]


def client_key(request: Request) -> str:
    """Who is asking: the peer address (uvicorn's --proxy-headers makes it the real one)."""
    return request.client.host if request.client else "unknown"


def enforce_rate_limit(limiter: RateLimiter, request: Request) -> None:
    """429 with Retry-After when this client has used up its requests for the minute."""
    wait = limiter.check(client_key(request))
    if wait:
        seconds = math.ceil(wait)
        raise HTTPException(
            429, f"too many requests: the limit is {limiter.per_minute} per minute; "
                 f"retry in {seconds} s", headers={"Retry-After": str(seconds)})


def rate_limited(request: Request) -> None:
    """FastAPI dependency for the public POST endpoints: the app's per-client limit."""
    limiter: RateLimiter = request.app.state.avatar.limiter
    enforce_rate_limit(limiter, request)
