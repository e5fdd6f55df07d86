"""Groups of near-duplicate posts: one indexed text, several URLs, the earliest date shown.

A group is stored as one post in Chroma under the id of the member whose text it indexes
(its holder). Every chunk carries the group in flat metadata: `urls` (a JSON list, earliest
first), `members` (a JSON list of each member's id, URL, sources, date and content hash) and
`dup_bands` (the text's LSH band keys, so the signature index can be rebuilt from Chroma).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from knowledge.metadata import date_to_int, parse_iso_date
from knowledge.post import Post


@dataclass(frozen=True)
class Member:
    """One URL (or file) under which a group's text appeared, and every source that gave it.

    A feed sync may remove a member only for a feed it was read from, and only once no
    other source (another feed, a file, an editor's request) still vouches for it.
    """

    id: str
    url: str
    sources: tuple[str, ...]
    published: date | None
    content_hash: str

    @property
    def source(self) -> str:
        """The source it was first read from."""
        return self.sources[0] if self.sources else ""

    def to_json(self) -> dict[str, Any]:
        """The member as stored in the `members` metadata field."""
        return {"id": self.id, "url": self.url, "sources": list(self.sources),
                "published": self.published.isoformat() if self.published else "",
                "hash": self.content_hash}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Member:
        """Inverse of to_json."""
        sources = tuple(str(s) for s in data.get("sources") or [])
        return cls(str(data["id"]), str(data.get("url", "")), sources,
                   parse_iso_date(str(data.get("published", ""))), str(data.get("hash", "")))

    @classmethod
    def of(cls, post: Post, earlier: Member | None = None) -> Member:
        """The member a post makes (keeping the sources an earlier read of it had)."""
        sources = earlier.sources if earlier is not None else ()
        if post.source not in sources:
            sources = (*sources, post.source)
        return cls(post.id, post.url, sources, post.published, post.content_hash)

    def without(self, source: str) -> Member:
        """The member no longer vouched for by this source."""
        return replace(self, sources=tuple(s for s in self.sources if s != source))


@dataclass
class Group:
    """Near-duplicate posts indexed once, under the id of the member whose text is stored."""

    id: str
    members: list[Member]
    bands: tuple[str, ...] = ()
    labels: str = ""  # the speaker rules its stored chunks were labelled by (LABEL_RULES)

    def member(self, member_id: str) -> Member | None:
        """The member with this id, if it belongs here."""
        return next((m for m in self.members if m.id == member_id), None)

    def put(self, member: Member) -> None:
        """Add a member, or replace the one with the same id."""
        self.members = [m for m in self.members if m.id != member.id] + [member]

    def drop(self, member_id: str) -> None:
        """Remove a member (the group may be left empty)."""
        self.members = [m for m in self.members if m.id != member_id]

    def ordered(self) -> list[Member]:
        """Members earliest first (undated ones last), ties by id for a stable order."""
        return sorted(self.members, key=lambda m: (m.published or date.max, m.id))

    @property
    def published(self) -> date | None:
        """The earliest date any member was published."""
        dates = [m.published for m in self.members if m.published]
        return min(dates) if dates else None

    def fields(self) -> dict[str, Any]:
        """The flat metadata every chunk of the group carries (overriding the holder's date)."""
        published = self.published
        return {
            "urls": json.dumps([m.url for m in self.ordered() if m.url]),
            "members": json.dumps([m.to_json() for m in self.ordered()]),
            "dup_bands": " ".join(self.bands),
            "published": published.isoformat() if published else "",
            "published_int": date_to_int(published),
        }

    @classmethod
    def from_metadata(cls, meta: dict[str, Any]) -> Group:
        """The group a stored chunk's metadata describes (a post stored before groups: one)."""
        members = [Member.from_json(m) for m in _json_list(meta.get("members"))]
        if not members:
            members = [Member(str(meta["post_id"]), str(meta.get("url", "")),
                              (str(meta.get("source", "")),),
                              parse_iso_date(str(meta.get("published", ""))),
                              str(meta.get("content_hash", "")))]
        bands = tuple(str(meta.get("dup_bands", "")).split())
        return cls(str(meta["post_id"]), members, bands, str(meta.get("speaker_rules", "")))

    def rekeyed(self, new_id: str) -> Group:
        """The same group stored under another member's id."""
        return replace(self, id=new_id)


def urls_of(meta: dict[str, Any]) -> list[str]:
    """Every URL of a stored post (its own URL alone for posts stored before groups)."""
    urls = [str(u) for u in _json_list(meta.get("urls")) if u]
    if urls:
        return urls
    url = str(meta.get("url", "") or "")
    return [url] if url else []


def _json_list(value: Any) -> list[Any]:
    if not value:
        return []
    try:
        parsed = json.loads(str(value))
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []
