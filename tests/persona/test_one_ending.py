"""Every reply stream ends in exactly one done or error event, whatever the inside does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from persona.one_ending import FAILED, UNFINISHED, one_ending
from persona.replies import DoneEvent, ErrorEvent, Event, Reply, TokenEvent, final_reply


async def events(*items: Event | Exception) -> AsyncIterator[Event]:
    for item in items:
        if isinstance(item, Exception):
            raise item
        yield item


async def collect(stream: AsyncIterator[Event]) -> list[Event]:
    return [e async for e in stream]


DONE = DoneEvent(Reply(text="hi", model="m"))


async def test_a_crash_becomes_one_error_event(caplog: pytest.LogCaptureFixture) -> None:
    out = await collect(one_ending(events(TokenEvent("a"), RuntimeError("boom")), "m"))
    assert out == [TokenEvent("a"), ErrorEvent(FAILED, "m")]
    assert "boom" in caplog.text  # the trace goes to the log, not to the reader


async def test_a_silent_end_becomes_an_error_event() -> None:
    out = await collect(one_ending(events(TokenEvent("a")), "m"))
    assert out == [TokenEvent("a"), ErrorEvent(UNFINISHED, "m")]


async def test_nothing_passes_after_the_first_ending() -> None:
    out = await collect(one_ending(events(DONE, TokenEvent("late"), ErrorEvent("x"))))
    assert out == [DONE]


async def test_final_reply_hands_tokens_over_and_returns_the_ending() -> None:
    seen: list[str] = []

    async def keep(text: str) -> None:
        seen.append(text)

    assert await final_reply(events(TokenEvent("a"), TokenEvent("b"), DONE), keep) == DONE.reply
    assert seen == ["a", "b"]
    error = ErrorEvent("no model")
    assert await final_reply(events(TokenEvent("a"), error)) == error
    assert isinstance(await final_reply(events()), ErrorEvent)
