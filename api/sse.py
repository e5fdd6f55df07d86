"""Server-sent events over HTTP, and stopping work when the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterable, Awaitable, Mapping
from typing import Any, TypeVar

import anyio
from fastapi import Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

T = TypeVar("T")
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse_frame(data: Any, event: str | None = None) -> bytes:
    """One event: an optional `event:` line and a `data:` line (JSON, or a raw string)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    body = "".join(f"data: {line}\n" for line in payload.split("\n"))
    return f"{head}{body}\n".encode()


def wants_event_stream(request: Request, stream_flag: bool) -> bool:
    """Stream when the body says `stream: true` or the client accepts text/event-stream."""
    return stream_flag or "text/event-stream" in request.headers.get("accept", "")


class EventStream(StreamingResponse):
    """A text/event-stream response whose body is cancelled the moment the client leaves."""

    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterable[bytes], status_code: int = 200,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(content, status_code, {**STREAM_HEADERS, **(headers or {})})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Stream the body while listening for `http.disconnect`, whatever the server."""
        # Starlette only listens for disconnects on ASGI < 2.4; under uvicorn it would notice
        # a departed client only at its next write, and a model that is still thinking writes
        # nothing. Listening here cancels the body (and the model call under it) at once.
        async with anyio.create_task_group() as group:

            async def stream() -> None:
                with contextlib.suppress(OSError):  # the client went away mid-write
                    await self.stream_response(send)
                group.cancel_scope.cancel()

            group.start_soon(stream)
            await self.listen_for_disconnect(receive)
            group.cancel_scope.cancel()


async def aclose_quietly(stream: object) -> None:
    """Close an async generator (and the model call under it), even inside a cancelled scope."""
    closer = getattr(stream, "aclose", None)
    if closer is not None:
        with anyio.move_on_after(5, shield=True):
            await closer()


async def unless_disconnected(request: Request, work: Awaitable[T]) -> tuple[bool, T | None]:
    """Await work, cancelling it if the client disconnects first; (finished, result)."""
    task = asyncio.ensure_future(work)

    async def departure() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(departure())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            await asyncio.wait({task})  # let the work's own cleanup run before answering
    if task.cancelled():
        return False, None
    return True, task.result()
