"""The common part of the fake model servers: a scriptable HTTP server in a background thread.

Each provider fake (see `tests.fakes.providers`) only says which path it serves, how it
checks the key, and how its wire format frames a reply; this base runs the server (uvicorn
on 127.0.0.1, a random free port), records every request, and plays the script: the reply
in several pieces, an optional delay per piece, an HTTP error, a hang, or a connection cut
half-way through the stream.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, ClassVar, Literal, Self

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

Mode = Literal["ok", "error", "hang", "fail_mid_stream"]
DEFAULT_REPLY = "Tariffs are a tax on your own consumers, and I have argued so for years."


class MidStreamFailure(Exception):
    """Raised inside a streaming body: uvicorn then drops the connection mid-response."""


@dataclass
class Script:
    """What the fake does with the next requests."""

    reply: str = DEFAULT_REPLY
    pieces: int = 4  # the reply is streamed in this many chunks
    delay: float = 0.0  # seconds before each chunk (and before a non-streamed reply)
    mode: Mode = "ok"
    status: int = 500  # HTTP status in "error" mode
    fail_after: int = 2  # chunks sent before the connection is cut in "fail_mid_stream"
    hold_after: int | None = None  # chunks sent before the stream waits for `release()`


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: Any  # the parsed JSON body, or None

    @property
    def json(self) -> dict[str, Any]:
        """The JSON body as an object (an AssertionError when it was something else)."""
        assert isinstance(self.body, dict), f"request body is not a JSON object: {self.body!r}"
        return self.body


@dataclass
class Call:
    """The request being answered, the script it is answered with, and reply metadata."""

    request: RecordedRequest
    script: Script
    ident: str = field(default_factory=lambda: uuid.uuid4().hex[:24])
    created: int = field(default_factory=lambda: int(time.time()))
    model: str = field(init=False)

    def __post_init__(self) -> None:
        body = self.request.body if isinstance(self.request.body, dict) else {}
        self.model = str(body.get("model") or "fake-model")

    @property
    def prompt_tokens(self) -> int:
        """A plausible prompt token count (the real APIs always report one)."""
        return max(1, len(json.dumps(self.request.body)) // 4)

    @property
    def reply_tokens(self) -> int:
        """A plausible completion token count."""
        return max(1, len(self.script.reply.split()))


def split_reply(text: str, pieces: int) -> list[str]:
    """Cut text at word boundaries into at most `pieces` chunks that join back to it."""
    words = re.findall(r"\s*\S+\s*", text) or [text]
    count = max(1, min(pieces, len(words)))
    size, extra = divmod(len(words), count)
    chunks, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        chunks.append("".join(words[start:end]))
        start = end
    return chunks


def content_text(content: Any) -> str:
    """Message content as plain text: a string, or the text parts of a list of blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            block if isinstance(block, str) else content_text(block.get("text"))
            for block in content
        )
    return ""


def sse(data: Any, event: str | None = None) -> bytes:
    """One server-sent event: an optional `event:` line and a JSON (or raw string) `data:` line."""
    payload = data if isinstance(data, str) else json.dumps(data)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n".encode()


class _QuickServer(uvicorn.Server):
    """uvicorn checks `should_exit` every 100 ms; a test fake should stop faster than that."""

    async def main_loop(self) -> None:
        """uvicorn's loop with a 10 ms tick (its housekeeping still runs every 100 ms)."""
        ticks = 0
        while not self.should_exit:
            await asyncio.sleep(0.01)
            ticks += 1
            if ticks % 10 == 0 and await self.on_tick(ticks // 10 % 864000):
                break


def serve_in_thread(app: Any, name: str) -> tuple[uvicorn.Server, threading.Thread, int]:
    """Serve an ASGI app on a free 127.0.0.1 port in a daemon thread, once it accepts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, log_level="critical", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=1)
    server = _QuickServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)
    return server, thread, port


class FakeModelServer(ABC):
    """A provider's HTTP API on 127.0.0.1 that records requests and plays a `Script`."""

    stream_media_type: ClassVar[str] = "text/event-stream"
    default_api_key: ClassVar[str | None] = "test-key"

    def __init__(self, reply: str = DEFAULT_REPLY, *, api_key: str | None = "", **script: Any):
        self.api_key = self.default_api_key if api_key == "" else api_key
        self.script = Script(reply=reply, **script)
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._released = threading.Event()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # -- the provider's part -------------------------------------------------------------

    @abstractmethod
    def serves(self, path: str) -> bool:
        """Whether `path` is this provider's chat endpoint."""

    @abstractmethod
    def reject(self, request: RecordedRequest) -> tuple[int, str] | None:
        """(status, message) when the API would refuse the request: bad key, missing header."""

    @abstractmethod
    def error_body(self, status: int, message: str) -> Any:
        """The provider's JSON error document."""

    @abstractmethod
    def complete_body(self, call: Call) -> Any:
        """The whole reply as one JSON document (a non-streamed request)."""

    @abstractmethod
    def stream_head(self, call: Call) -> Iterable[bytes]:
        """Frames sent before the first piece of text."""

    @abstractmethod
    def stream_piece(self, call: Call, text: str) -> bytes:
        """The frame that carries one piece of text."""

    @abstractmethod
    def stream_tail(self, call: Call) -> Iterable[bytes]:
        """Frames sent after the last piece of text."""

    def wants_stream(self, request: RecordedRequest) -> bool:
        """Whether the client asked for a streamed reply."""
        return bool(isinstance(request.body, dict) and request.body.get("stream"))

    def dialogue(self, request: RecordedRequest) -> list[tuple[str, str]]:
        """The (role, text) turns a request carried, system prompt included, in order."""
        return [(m["role"], content_text(m.get("content"))) for m in request.json["messages"]]

    # -- scripting and inspection --------------------------------------------------------

    def configure(self, **changes: Any) -> None:
        """Change the script for the following requests (reply, pieces, delay, mode…)."""
        self.script = replace(self.script, **changes)

    def release(self) -> None:
        """Let streams held by `hold_after` go on (proof that text arrives while they wait)."""
        self._released.set()

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT, without a trailing slash."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def last(self) -> RecordedRequest:
        """The most recent request (an AssertionError when there was none)."""
        with self._lock:
            assert self.requests, f"{type(self).__name__} received no request"
            return self.requests[-1]

    # -- running -------------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving in a background thread; returns once the port accepts connections."""
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["GET", "POST"])])
        self._server, self._thread, self._port = serve_in_thread(app, type(self).__name__)
        return self

    def shutdown(self) -> None:
        """Release hanging requests and ask the server to stop; returns at once."""
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True

    def stop(self) -> None:
        """Shut down and wait for the server thread (uvicorn notices within ~0.1 s)."""
        self.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- the request handler -------------------------------------------------------------

    async def _handle(self, http: Request) -> Response:
        raw = await http.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = RecordedRequest(
            method=http.method,
            path=http.url.path,
            query=dict(http.query_params),
            headers={k.lower(): v for k, v in http.headers.items()},
            body=body,
        )
        with self._lock:
            self.requests.append(request)
        call = Call(request, self.script)
        if not self.serves(request.path) or request.method != "POST":
            return self._error(404, f"no route for {request.method} {request.path}")
        refusal = self.reject(request)
        if refusal is not None:
            return self._error(*refusal)
        if call.script.mode == "hang":
            # Never answer; give up only when the fake stops so its thread can exit.
            await self._wait_until(lambda: False)
            return self._error(503, "fake stopped while hanging")
        if call.script.mode == "error":
            return self._error(call.script.status, "the fake backend was told to fail")
        if not self.wants_stream(request):
            await self._pause(call.script.delay)
            return JSONResponse(self.complete_body(call))
        return StreamingResponse(self._frames(call), media_type=self.stream_media_type)

    def _error(self, status: int, message: str) -> Response:
        return JSONResponse(self.error_body(status, message), status_code=status)

    async def _frames(self, call: Call) -> AsyncIterator[bytes]:
        for frame in self.stream_head(call):
            yield frame
        for index, text in enumerate(split_reply(call.script.reply, call.script.pieces)):
            if call.script.mode == "fail_mid_stream" and index == call.script.fail_after:
                raise MidStreamFailure("the fake backend was told to fail mid-stream")
            if index == call.script.hold_after:
                await self._wait_until(self._released.is_set)
            await self._pause(call.script.delay)
            yield self.stream_piece(call, text)
        for frame in self.stream_tail(call):
            yield frame

    async def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        await self._wait_until(lambda: time.monotonic() >= deadline)

    async def _wait_until(self, condition: Callable[[], bool]) -> None:
        # Poll in small steps so that stopping the fake is never held up by a wait.
        while not (condition() or self._stopping.is_set()):
            await asyncio.sleep(0.01)
