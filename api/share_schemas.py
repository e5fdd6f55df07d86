"""Bodies of the shared-conversation endpoints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.text_input import UnicodeInput

MAX_TURNS = 100


class SharedTurn(UnicodeInput):
    """One message as the page shows it; an assistant's with its reply JSON (citations…)."""

    role: Literal["user", "assistant"]
    text: str = Field(max_length=20_000)
    reply: dict[str, Any] | None = Field(None, description="the reply's `done` JSON")


class ConversationIn(UnicodeInput):
    """A conversation to share: its turns and, for a debate on a post, that post."""

    mode: Literal["ask", "debate"] = "ask"
    turns: list[SharedTurn] = Field(min_length=1, max_length=MAX_TURNS)
    debate_post: dict[str, Any] | None = None


class SharedOut(BaseModel):
    """A stored conversation: its link, when it expires, and (once) the owner's token."""

    id: str
    url: str = Field(description="the page that shows it, read-only")
    expires_at: str
    owner_token: str | None = Field(None, description="only in the creation reply: send it "
                                                      "as `X-Owner-Token` to remove the share")


class ConversationOut(SharedOut):
    """A stored conversation with its turns."""

    mode: Literal["ask", "debate"]
    turns: list[SharedTurn]
    debate_post: dict[str, Any] | None = None
    created_at: str
