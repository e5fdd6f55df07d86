"""Helpers for the API tests: a real uvicorn server in a thread, and an SSE reader."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import FastAPI

from api.state import AppState


class LiveServer:
    """Serve an app (lifespan included) with uvicorn on a free 127.0.0.1 port."""

    def __init__(self, app: FastAPI | Callable[[int], FastAPI]) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._sock = sock
        self.port = int(sock.getsockname()[1])
        # A factory gets the port first, for apps that must know their own origin.
        self.app = app if isinstance(app, FastAPI) else app(self.port)
        config = uvicorn.Config(self.app, log_level="warning", access_log=False,
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [sock]}, daemon=True)

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def state(self) -> AppState:
        """The running app's state (opened by its lifespan)."""
        state: AppState = self.app.state.avatar
        return state

    def __enter__(self) -> LiveServer:
        self._thread.start()
        wait_for(lambda: self._server.started or not self._thread.is_alive(), 60,
                 "uvicorn to start")
        assert self._server.started, "uvicorn did not start (see the log above)"
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._sock.close()


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll until condition() is true; fail naming what never happened (no timing asserts)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def parse_sse(lines: Iterable[str]) -> list[tuple[str, Any]]:
    """(event name, JSON data) for each server-sent event, in order ("message" if unnamed)."""
    events: list[tuple[str, Any]] = []
    name, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                text = "\n".join(data)
                events.append((name, text if text == "[DONE]" else json.loads(text)))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        text = "\n".join(data)
        events.append((name, text if text == "[DONE]" else json.loads(text)))
    return events
