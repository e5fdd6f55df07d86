"""The archive's own authors' names, taken out of search queries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_POSSESSIVE = r"(?:['’]s?)?"
# What blog platforms write where a profile has no name (Blogger says "Unknown"): not a name.
_PLACEHOLDERS = frozenset({"unknown", "anonymous", "admin", "administrator", "author"})


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every full name and, for names of two words or more, the surname."""
    forms: set[str] = set()
    for name in names:
        if name.strip().lower() in _PLACEHOLDERS or "@" in name:
            continue
        words = name.split()
        if words:
            forms.add(r"\s+".join(map(re.escape, words)))
        if len(words) > 1 and len(words[-1]) > 2:
            forms.add(re.escape(words[-1]))
    if not forms:
        return None
    # Longest first, so "Paul Graham" goes as a whole rather than leaving "Paul" behind.
    alternatives = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives}){_POSSESSIVE}(?!\w)", re.IGNORECASE)


def without_author_names(query: str, names: Sequence[str]) -> str:
    """The query with the archive's author names removed (unchanged if nothing else is left).

    Every post is the author's, so "what does Paul Graham think of X" names no post by
    "Paul Graham"; left in, that rare name pulls up the few posts that happen to mention it
    (a quote, a footnote) ahead of the one about X.
    """
    pattern = _pattern(tuple(names))
    if pattern is None:
        return query
    stripped = " ".join(pattern.sub(" ", query).split())
    return stripped if any(ch.isalnum() for ch in stripped) else query
