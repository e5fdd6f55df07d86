"""Normalise the small fields every reader fills in: tags, titles and authors."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")
_TITLE_WORDS = 12


def clean_tags(tags: Iterable[object]) -> tuple[str, ...]:
    """Tags as a tuple of trimmed, non-empty strings, first spelling kept, duplicates dropped."""
    seen: set[str] = set()
    result: list[str] = []
    for tag in tags:
        if tag is None:
            continue
        # "policy, tech" in one meta tag or front-matter string means two tags.
        for part in str(tag).split(","):
            name = _SPACES.sub(" ", part).strip()
            if name and name.lower() not in seen:
                seen.add(name.lower())
                result.append(name)
    return tuple(result)


def clean_title(title: str) -> str:
    """A title on one line with single spaces."""
    return _SPACES.sub(" ", title).strip()


def clean_author(name: object) -> str:
    """An author's name on one line with single spaces ("" for none)."""
    return _SPACES.sub(" ", str(name or "")).strip()


def title_from_text(text: str) -> str:
    """A stand-in title for an untitled post: its first words."""
    words = text.split()
    if not words:
        return ""
    head = " ".join(words[:_TITLE_WORDS])
    return head + ("…" if len(words) > _TITLE_WORDS else "")
