"""Flat Chroma metadata for a chunk, and the date encodings range filters need."""

from __future__ import annotations

from datetime import date
from typing import Any

from knowledge.chunking import Chunk
from knowledge.post import Post
from knowledge.speakers import (
    LABEL_RULES,
    Span,
    decode_spans,
    encode_spans,
    spans_within,
    speaker_spans,
)


def date_to_int(value: date | None) -> int:
    """yyyymmdd as an integer (0 for no date), so Chroma can filter date ranges."""
    return value.year * 10000 + value.month * 100 + value.day if value else 0


def date_from_int(value: int) -> date | None:
    """Inverse of date_to_int."""
    if not value:
        return None
    return date(value // 10000, value // 100 % 100, value % 100)


def parse_iso_date(value: str) -> date | None:
    """A date from 'YYYY-MM-DD' (or None for empty/invalid)."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def chunk_metadata(post: Post, index: int, count: int, overlap: int = 0,
                   joiner: str = "", chunk: Chunk | None = None) -> dict[str, Any]:
    """Flat metadata stored with every chunk of a post (with its speakers when given the chunk)."""
    extra = chunk_speakers(post, chunk.text, chunk.start) if chunk is not None else {}
    return {
        "post_id": post.id,
        "url": post.url,
        "title": post.title,
        "source": post.source,
        "published": post.published.isoformat() if post.published else "",
        "published_int": date_to_int(post.published),
        "updated": post.updated.isoformat() if post.updated else "",
        "tags": ",".join(t.replace(",", " ") for t in post.tags),
        "author": post.author,
        "chunk_index": index,
        "chunk_count": count,
        "overlap": overlap,
        "joiner": joiner,
        "content_hash": post.content_hash,
        **extra,
    }


def chunk_speakers(post: Post, text: str, start: int) -> dict[str, str]:
    """The speaker fields of a stored chunk `text` found at `start` of the post (-1: not)."""
    return {"speakers": encode_spans(_spans_at(post, text, start)), "speaker_rules": LABEL_RULES}


def _spans_at(post: Post, text: str, start: int) -> tuple[Span, ...]:
    end = start + len(text)
    if start < 0 or post.text[start:end] != text:  # a chunk cut from some other text
        return speaker_spans(text, author=post.author)
    return spans_within(post.spans, start, end)


def passage_spans(metadata: dict[str, Any], text: str) -> tuple[Span, ...]:
    """A stored chunk's speaker spans; chunks indexed before spans existed are labelled now."""
    stored = decode_spans(metadata.get("speakers"), len(text))
    if stored is not None:
        return stored
    return speaker_spans(text, author=str(metadata.get("author") or ""))
