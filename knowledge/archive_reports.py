"""What the archive reports: an ingest's (or sync's) summary, and a stored post's listing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from knowledge.post import ReadFailure


@dataclass(frozen=True)
class Skipped:
    """Posts a sync would have removed but did not, and why."""

    source: str
    reason: str


@dataclass
class IngestReport:
    """What one ingestion did, in the `ingest --json` shape (plus what a sync removed)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    grouped: int = 0  # posts kept as one more URL of a near-duplicate already indexed
    chunks: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    sync: bool = False  # a feed sync: the report names what it removed and what it kept
    removed_posts: list[str] = field(default_factory=list)
    not_removed: list[Skipped] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The summary printed by `avatar ingest --json` and `avatar sync --json`."""
        out: dict[str, Any] = {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed, "grouped": self.grouped,
            "failed": [{"source": f.source, "error": f.error} for f in self.failed],
        }
        if self.sync:
            out["removed_posts"] = list(self.removed_posts)
            out["not_removed"] = [{"source": s.source, "reason": s.reason}
                                  for s in self.not_removed]
        return out


@dataclass(frozen=True)
class PostSummary:
    """A stored post as listed by `avatar posts` (urls: every near-duplicate's, earliest first)."""

    post_id: str
    title: str
    url: str
    source: str
    published: date | None
    chunks: int
    urls: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """JSON form for `posts --json` and the API."""
        return {"post_id": self.post_id, "title": self.title, "url": self.url,
                "urls": list(self.urls or ((self.url,) if self.url else ())),
                "source": self.source, "chunks": self.chunks,
                "published": self.published.isoformat() if self.published else None}
