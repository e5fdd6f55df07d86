"""Ask, debate and reflect over HTTP: check the request, run the avatar, reply as JSON or SSE."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api import services
from api.limits import check_message_length
from api.public_source import cleaned
from api.schemas import HistoryTurn
from api.sse import (
    EventStream,
    aclose_quietly,
    sse_frame,
    unless_disconnected,
    wants_event_stream,
)
from api.state import AppState
from knowledge.readers import read_source
from persona.messages import Turn
from persona.model_types import ModelNotAllowed
from persona.replies import DoneEvent, ErrorEvent, Event, Reply, TokenEvent, final_reply

log = logging.getLogger(__name__)

NEWS_CHARS = 6000
FAILED = "Something went wrong while answering. Please try again."
CLIENT_GONE = 499  # nginx's "client closed request": nobody reads it, the logs do


def not_allowed(exc: ModelNotAllowed) -> str:
    """The 400 message for a model readers may not pick, naming the ones they may."""
    return f"unknown or disallowed model {exc.model!r}; allowed: {', '.join(exc.allowed)}"


def reply_json(reply: Reply, mode: str) -> dict[str, Any]:
    """The reply JSON of DESIGN.md, plus the mode it answered in."""
    body = reply.to_json()
    return {**body, "citations": [cleaned(c) for c in body["citations"]], "mode": mode}


async def converse(state: AppState, request: Request, mode: str, message: str,
                   history: Sequence[HistoryTurn] = (), model: str | None = None,
                   side: str | None = None, stream: bool = False,
                   motion: str | None = None) -> Response:
    """Run one avatar turn and answer in the form the client asked for."""
    check_message_length(message, state.settings.max_message_chars)
    try:
        state.registry.resolve(model)  # a 400 before any work, such as reading a URL
    except ModelNotAllowed as exc:
        raise HTTPException(400, not_allowed(exc)) from None
    if mode == "reflect":
        message = await news_text(state, message)
    turns = [Turn(t.role, t.content) for t in history]
    events = state.avatar.stream(mode, message, turns, model, side, motion)
    if wants_event_stream(request, stream):
        return EventStream(counted(state, reply_events(events, mode)))
    finished, outcome = await unless_disconnected(request, final_reply(events))
    if not finished or outcome is None:
        return Response(status_code=CLIENT_GONE)
    if isinstance(outcome, ErrorEvent):
        return JSONResponse({"detail": outcome.message}, status_code=502)
    return JSONResponse(reply_json(outcome, mode))


async def counted(state: AppState, frames: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Pass frames through, counting the stream as live until it ends or is cancelled."""
    state.live_streams += 1
    try:
        async for frame in frames:
            yield frame
    finally:
        state.live_streams -= 1
        await aclose_quietly(frames)


async def reply_events(events: AsyncIterator[Event], mode: str) -> AsyncIterator[bytes]:
    """SSE frames: `token` events, then `citations` and `done`; or one `error` event."""
    try:
        async for event in events:
            if isinstance(event, TokenEvent):
                yield sse_frame({"text": event.text}, "token")
            elif isinstance(event, DoneEvent):
                body = reply_json(event.reply, mode)
                yield sse_frame({"citations": body["citations"]}, "citations")
                yield sse_frame(body, "done")
                return
            elif isinstance(event, ErrorEvent):
                yield sse_frame({"message": event.message}, "error")
                return
        yield sse_frame({"message": "The reply ended without a result. Please try again."},
                        "error")
    except Exception:
        # The reader gets a message, never a trace; the log gets the trace.
        log.exception("a streamed reply failed")
        yield sse_frame({"message": FAILED}, "error")
    finally:
        await aclose_quietly(events)


async def news_text(state: AppState, message: str) -> str:
    """Reflect accepts a URL: its main text, read through the configured fetcher."""
    source = message.strip()
    if not source.lower().startswith(("http://", "https://")) or len(source.split()) > 1:
        return message

    def read() -> Any:
        with services.make_fetcher(state.settings) as fetcher:
            return read_source(source, fetcher=fetcher)

    result = await run_in_threadpool(read)
    if not result.posts:
        reason = result.failures[0].error if result.failures else "no text found"
        raise HTTPException(422, f"could not read {source}: {reason}")
    post = result.posts[0]
    return f"{post.title}\n\n{post.text}"[:NEWS_CHARS]
