"""The SSE response and the disconnect watch, at the ASGI level."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

from starlette.requests import Request

from api.sse import EventStream, sse_frame, unless_disconnected


def test_sse_frames() -> None:
    assert sse_frame({"text": "hi"}, "token") == b'event: token\ndata: {"text": "hi"}\n\n'
    assert sse_frame("[DONE]") == b"data: [DONE]\n\n"
    assert sse_frame("a\nb") == b"data: a\ndata: b\n\n"


async def test_event_stream_is_cancelled_when_the_client_leaves_even_on_asgi_2_4() -> None:
    # Starlette stops listening for disconnects on ASGI >= 2.4 servers; EventStream must not.
    cancelled = asyncio.Event()
    sent: list[MutableMapping[str, Any]] = []
    leave = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        try:
            yield b"event: token\ndata: {}\n\n"
            await asyncio.Event().wait()  # a model that never says anything more
        finally:
            cancelled.set()

    async def receive() -> dict[str, Any]:
        await leave.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)
        if message.get("body"):
            leave.set()  # the reader goes away after the first event

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
    await asyncio.wait_for(EventStream(body())(scope, receive, send), 30)
    assert cancelled.is_set()
    assert sent[0]["type"] == "http.response.start"
    headers = dict(sent[0]["headers"])
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert headers[b"cache-control"] == b"no-cache"


async def test_unless_disconnected_cancels_the_work() -> None:
    cancelled = asyncio.Event()

    async def work() -> str:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()
        return "never"

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    request = Request({"type": "http", "method": "POST", "headers": []}, receive)
    assert await asyncio.wait_for(unless_disconnected(request, work()), 30) == (False, None)
    assert cancelled.is_set()

    async def quick() -> str:
        return "answer"

    async def never() -> dict[str, Any]:
        await asyncio.Event().wait()
        return {}

    waiting = Request({"type": "http", "method": "POST", "headers": []}, never)
    assert await unless_disconnected(waiting, quick()) == (True, "answer")
