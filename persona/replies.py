"""What the avatar returns: the reply, its citations, and the events of a streamed reply."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Citation:
    """A retrieved post the reply cites as [n], with a sentence quoted verbatim from it."""

    n: int
    post_id: str
    title: str
    url: str
    source: str
    published: date | None
    quote: str

    def to_json(self) -> dict[str, Any]:
        """The citation shape of DESIGN.md."""
        return {"n": self.n, "post_id": self.post_id, "title": self.title, "url": self.url,
                "source": self.source, "quote": self.quote,
                "published": self.published.isoformat() if self.published else None}


@dataclass
class Reply:
    """A finished reply in the `ask/debate/reflect --json` shape."""

    text: str
    model: str
    declined: bool = False
    stance: str | None = None
    citations: list[Citation] = field(default_factory=list)
    mode: str = "ask"
    retrieved: list[str] = field(default_factory=list)  # post ids the model was shown
    debate: dict[str, Any] | None = None  # debates: motion, reader_side, latest, round

    def to_json(self) -> dict[str, Any]:
        """JSON form; `stance` and `debate` only for debates."""
        out: dict[str, Any] = {"text": self.text, "model": self.model,
                               "declined": self.declined,
                               "citations": [c.to_json() for c in self.citations]}
        if self.mode == "debate":
            out["stance"] = self.stance or "unclear"
            if self.debate is not None:
                out["debate"] = dict(self.debate)
        return out


@dataclass(frozen=True)
class TokenEvent:
    """A piece of reply text, safe to show (already grounded)."""

    text: str


@dataclass(frozen=True)
class DoneEvent:
    """The reply is complete."""

    reply: Reply


@dataclass(frozen=True)
class ErrorEvent:
    """The reply failed; the message is safe to show to a reader."""

    message: str
    model: str = ""


Event = TokenEvent | DoneEvent | ErrorEvent


OnToken = Callable[[str], Awaitable[None] | None]


async def final_reply(events: AsyncIterator[Event], on_token: OnToken | None = None
                      ) -> Reply | ErrorEvent:
    """The finished reply of a stream, or its error event; tokens go to `on_token` as they come.

    Every surface (CLI, API, OpenAI-compatible route, Slack) ends a stream through this one
    helper. The stream is closed on the way out, even when the caller is cancelled.
    """
    try:
        async for event in events:
            if isinstance(event, TokenEvent):
                if on_token is not None:
                    result = on_token(event.text)
                    if inspect.isawaitable(result):
                        await result
            elif isinstance(event, DoneEvent):
                return event.reply
            elif isinstance(event, ErrorEvent):
                return event
        return ErrorEvent("The reply ended without a result. Please try again.")
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()
