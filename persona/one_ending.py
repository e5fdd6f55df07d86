"""Every reply stream ends in exactly one DoneEvent or ErrorEvent, whatever goes wrong."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from persona.replies import DoneEvent, ErrorEvent, Event

log = logging.getLogger(__name__)

FAILED = "Something went wrong while answering. Please try again."
UNFINISHED = "The reply ended without a result. Please try again."


async def one_ending(events: AsyncIterator[Event], model: str = "") -> AsyncIterator[Event]:
    """Pass events through up to the first ending; turn a crash or a silent end into an error."""
    try:
        async for event in events:
            yield event
            if isinstance(event, DoneEvent | ErrorEvent):
                return
    except Exception:
        # The reader gets a sentence, the log gets the trace.
        log.exception("a reply failed")
        yield ErrorEvent(FAILED, model)
        return
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()
    yield ErrorEvent(UNFINISHED, model)
