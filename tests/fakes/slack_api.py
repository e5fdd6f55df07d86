"""A local stand-in for Slack's Web API on 127.0.0.1: records calls, keeps channel messages.

It answers the methods the bot uses the way Slack does (`{"ok": true, ...}` or
`{"ok": false, "error": ...}`, HTTP 429 with Retry-After for `ratelimited`), stores what
the bot posts so `conversations.replies` returns real threads, and receives the POSTs a
slash command's `response_url` gets.

    with SlackAPIFake() as slack:
        settings = ...(slack_bot_token=slack.token, slack_api_url=slack.api_url)
        ts = slack.add_message("C1", "<@UAVATAR> hello", user="U1")
        slack.fail_next("chat.update", "ratelimited", retry_after=1)
        slack.wait_for(lambda: slack.calls_to("chat.update"))
"""

from __future__ import annotations

import asyncio
import itertools
import json
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from tests.fakes.base import serve_in_thread

BOT_USER, BOT_ID, TEAM = "UAVATAR", "BAVATAR", "T0TEAM"


@dataclass(frozen=True)
class SlackCall:
    """One Web API call: the method and its arguments (JSON, form or query, merged)."""

    method: str
    args: dict[str, Any]
    token: str


@dataclass
class Failure:
    """An error the next call of a method gets."""

    error: str
    status: int = 200
    retry_after: int | None = None


@dataclass
class SlackAPIFake:
    """Slack's Web API, the parts the bot uses, on a free loopback port."""

    token: str = "xoxb-test-token"
    app_token: str = "xapp-1-A0AVATAR-1-test"  # Socket Mode's app-level token
    calls: list[SlackCall] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # response_url POSTs
    missing_channels: set[str] = field(default_factory=set)
    replies_page: int = 1000  # the most messages one conversations.replies page holds

    def __post_init__(self) -> None:
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._failures: dict[str, list[Failure]] = {}
        self._clock = itertools.count(1)
        self._lock = threading.Lock()
        self._outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.socket_acks: list[dict[str, Any]] = []  # what the bot sent back on the socket
        self.socket_connections = 0
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- addresses -----------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL should be."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self) -> str:
        """A fresh response_url for one slash command or button click."""
        return f"http://127.0.0.1:{self.port}/respond/{uuid.uuid4().hex[:12]}"

    # -- scripting -----------------------------------------------------------------------

    def add_message(self, channel: str, text: str, *, user: str = "U0READER",
                    thread_ts: str | None = None, **extra: Any) -> str:
        """A message someone wrote (the bot would receive it as an event); returns its ts."""
        message = {"type": "message", "user": user, "text": text, "ts": self._next_ts(),
                   **extra}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self._messages.setdefault(channel, []).append(message)
        return str(message["ts"])

    def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to the connected bot (as Slack does)."""
        self._outbox.put(envelope)

    def fail_next(self, method: str, error: str, *, status: int = 200,
                  retry_after: int | None = None) -> None:
        """Make the next call of `method` fail as Slack would."""
        with self._lock:
            self._failures.setdefault(method, []).append(Failure(error, status, retry_after))

    # -- inspection ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[SlackCall]:
        """The calls of one method, in order."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """A thread's messages (root first) as they stand now."""
        with self._lock:
            return [dict(m) for m in self._messages.get(channel, [])
                    if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts]

    def wait_for(self, condition: Callable[[], object], timeout: float = 60.0,
                 what: str = "the bot's Slack calls") -> None:
        """Poll until condition() holds; fail naming what never happened."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}; calls: "
                                     f"{[c.method for c in self.calls]}")
            time.sleep(0.05)

    # -- running -------------------------------------------------------------------------

    def __enter__(self) -> Self:
        app = Starlette(routes=[
            Route("/api/{method}", self._api, methods=["GET", "POST"]),
            Route("/respond/{hook}", self._respond, methods=["POST"]),
            WebSocketRoute("/link", self._socket),
        ])
        self._server, self._thread, self.port = serve_in_thread(app, "SlackAPIFake")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)

    # -- the API -------------------------------------------------------------------------

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        args = dict(request.query_params)
        raw = (await request.body()).decode()
        if raw and request.headers.get("content-type", "").startswith("application/json"):
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw))
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        token = token or str(args.pop("token", ""))
        with self._lock:
            self.calls.append(SlackCall(method, args, token))
            pending = self._failures.get(method)
            failure = pending.pop(0) if pending else None
        wanted = self.app_token if method == "apps.connections.open" else self.token
        if token != wanted:
            return JSONResponse({"ok": False, "error": "invalid_auth"})
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            status = 429 if failure.error == "ratelimited" else failure.status
            return JSONResponse({"ok": False, "error": failure.error}, status_code=status,
                                headers=headers)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return JSONResponse({"ok": False, "error": "unknown_method"})
        channel = str(args.get("channel", ""))
        if channel and channel in self.missing_channels:
            return JSONResponse({"ok": False, "error": "channel_not_found"})
        return JSONResponse({"ok": True, **handler(args)})

    async def _respond(self, request: Request) -> Response:
        body = json.loads((await request.body()) or b"{}")
        with self._lock:
            self.responses.append({"hook": request.path_params["hook"], **body})
        return Response("ok")

    async def _socket(self, ws: WebSocket) -> None:
        """Socket Mode: hello, then envelopes from `socket_send`, recording the acks."""
        await ws.accept()
        self.socket_connections += 1
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A0AVATAR"}})

        async def pump() -> None:
            while True:
                try:
                    await ws.send_json(self._outbox.get_nowait())
                except queue.Empty:
                    await asyncio.sleep(0.01)

        sender = asyncio.create_task(pump())
        try:
            while True:
                ack = json.loads(await ws.receive_text())
                with self._lock:
                    self.socket_acks.append(ack)
        except WebSocketDisconnect:
            pass
        finally:
            sender.cancel()

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/link"}

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._clock)}.{next(self._clock):06d}"

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://fake.slack.test/", "team": "Fake", "user": "avatar",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID,
                   "text": args.get("text", ""), "ts": self._next_ts()}
        if args.get("blocks"):
            message["blocks"] = _decoded(args["blocks"])
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        with self._lock:
            self._messages.setdefault(str(args["channel"]), []).append(message)
        return {"channel": args["channel"], "ts": message["ts"], "message": message}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            for message in self._messages.get(str(args["channel"]), []):
                if message["ts"] == args["ts"]:
                    message["text"] = args.get("text", "")
                    if args.get("blocks"):
                        message["blocks"] = _decoded(args["blocks"])
                    return {"channel": args["channel"], "ts": args["ts"],
                            "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """Oldest first, a page of `limit` at a time, as Slack pages threads."""
        messages = sorted(self.thread(str(args["channel"]), str(args["ts"])),
                          key=lambda m: float(m["ts"]))
        start = int(str(args.get("cursor") or "off:0").split(":")[1])
        limit = min(int(args.get("limit") or 1000), self.replies_page)
        page, more = messages[start:start + limit], start + limit < len(messages)
        return {"messages": page, "has_more": more,
                "response_metadata": {"next_cursor": f"off:{start + limit}" if more else ""}}

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V" + uuid.uuid4().hex[:8].upper(), **_decoded(
            args.get("view", "{}"))}}


def _decoded(value: Any) -> Any:
    """Blocks and views arrive as JSON text in form posts and as objects in JSON posts."""
    return json.loads(value) if isinstance(value, str) else value
