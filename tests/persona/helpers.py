"""Small helpers shared by the avatar tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from knowledge.archive import Archive
from knowledge.search import SearchHit
from persona.replies import DoneEvent, ErrorEvent, Event, Reply, TokenEvent

# A straight-quoted passage followed by its citation marker, as the grounding rules ask.
QUOTE_CITED_RE = re.compile(r'"([^"]+)"\s*\[(\d+)\]')


class RecordingSearch:
    """The archive's real search, remembering each query and the posts it returned."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.calls: list[tuple[str, list[SearchHit]]] = []

    def __call__(self, query: str, k: int, *, floor: bool = True) -> list[SearchHit]:
        hits = self.archive.search(query, k, floor=floor)
        self.calls.append((query, hits))
        return hits

    @property
    def last_hits(self) -> list[SearchHit]:
        """The posts the most recent search gave the avatar to use (an AssertionError if none
        ran): a search without the floor is read whole for the decline decision, but only
        its hits above the floor are argued from (all of them when none is)."""
        assert self.calls, "the avatar never searched the archive"
        hits = self.calls[-1][1]
        return [h for h in hits if h.above_floor] or hits

    @property
    def retrieved_ids(self) -> set[str]:
        """Every post id any search of this avatar returned."""
        return {hit.post_id for _query, hits in self.calls for hit in hits}


def squash(text: str) -> str:
    """Whitespace-normalised text, so 'verbatim' ignores line breaks and double spaces."""
    return " ".join(text.split())


def verbatim_in(text: str, quote: str) -> bool:
    """Whether quote appears word for word in text (whitespace aside)."""
    return squash(quote) in squash(text)


async def collect(events: AsyncIterator[Event]) -> tuple[list[TokenEvent], Reply]:
    """All TokenEvents of a stream and the final reply; fails on an ErrorEvent."""
    tokens: list[TokenEvent] = []
    reply: Reply | None = None
    async for event in events:
        assert reply is None, f"an event arrived after the DoneEvent: {event!r}"
        if isinstance(event, TokenEvent):
            tokens.append(event)
        elif isinstance(event, DoneEvent):
            reply = event.reply
        elif isinstance(event, ErrorEvent):
            raise AssertionError(f"the avatar streamed an error: {event.message}")
    assert reply is not None, "the stream ended without a DoneEvent"
    return tokens, reply


def quoted_with_citations(text: str) -> list[tuple[str, int]]:
    """(quoted text, cited n) for every straight-quoted passage followed by [n]."""
    return [(m.group(1), int(m.group(2))) for m in QUOTE_CITED_RE.finditer(text)]


def extractive_ask_start() -> str:
    """How an extractive answer begins: the framing before its first quotation."""
    from persona.prompts import prompts

    return str(prompts()["extractive"]["ask_lead"]).split("{", 1)[0]
