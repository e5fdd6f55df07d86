"""Plain-text posts: the first lines give the title, an optional byline and a date line."""

from __future__ import annotations

import re
from datetime import date

from knowledge.readers.dates import parse_date_line
from knowledge.readers.fields import clean_title
from knowledge.readers.html_text import normalize_text
from knowledge.readers.post_fields import PostFields

# A byline is short and is not a sentence ("By the way, ..." is text, not an author).
_BYLINE = re.compile(
    r"^(?:written\s+by|posted\s+by|by)\s+(?P<author>[^\s,;:!?]+(?:\s+[^\s,;:!?]+){0,4})$",
    re.IGNORECASE,
)
_MAX_TITLE_CHARS = 200
_HEADER_LINES = 6  # how far down the first non-empty lines we look for title, byline and date


def parse_plain_text(text: str, *, name: str = "") -> PostFields:
    """Split 'Written by X / Title / May 2006 / text…' (any order of byline and date) into parts."""
    lines = text.splitlines()
    title = author = ""
    published: date | None = None
    body_start = 0
    seen = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        byline = _BYLINE.match(line)
        if byline and not author and not title:
            author = byline["author"].strip()
        elif published is None and (found := parse_date_line(line)) is not None:
            published = found
        elif not title and len(line) <= _MAX_TITLE_CHARS and seen <= _HEADER_LINES:
            title = clean_title(line)
        else:
            break
        body_start = index + 1
        # The header ends after the title and an optional date line right below it.
        if title and published is not None:
            break
    return PostFields(
        title=title,
        text=normalize_text("\n".join(lines[body_start:])),
        published=published,
        author=author,
    )
