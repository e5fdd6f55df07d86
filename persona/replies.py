"""What the avatar returns: the reply, its citations, and the events of a streamed reply."""

from __future__ import annotations

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

    def to_json(self) -> dict[str, Any]:
        """JSON form; `stance` only for debates."""
        out: dict[str, Any] = {"text": self.text, "model": self.model,
                               "declined": self.declined,
                               "citations": [c.to_json() for c in self.citations]}
        if self.mode == "debate":
            out["stance"] = self.stance or "unclear"
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
