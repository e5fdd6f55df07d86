"""What the Slack bot needs from the rest of the product, passed in by the entry point."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from knowledge.search import SearchHit
from knowledge.topics import TopicMap
from persona.avatar import Avatar

AddSources = Callable[[Sequence[str]], Awaitable[dict[str, Any]]]


@dataclass
class BotServices:
    """The avatar, the archive's search and topics, the editors' add, the feedback store."""

    avatar: Avatar
    search: Callable[[str, int], list[SearchHit]]
    topics: Callable[[], TopicMap]
    add_sources: AddSources           # read and ingest URLs; returns the ingest report JSON
    record_feedback: Callable[[dict[str, Any]], object]
    editors: frozenset[str] = field(default_factory=frozenset)  # Slack user ids
    max_chars: int = 4000             # longest message the avatar will take
    model: str | None = None          # None: the operator's default model
    update_every: float = 1.5         # seconds between in-place updates of a streamed answer
    # Seconds a user must wait before the next request (0: go ahead); None: no limit.
    rate_limit: Callable[[str], float] | None = None

    @property
    def author(self) -> str:
        """The author the avatar speaks for."""
        return self.avatar.persona.name
