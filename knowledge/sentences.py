"""Where sentences begin and end in a paragraph (a light rule-based splitter)."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (plus closing quotes/brackets) before a capital or digit. Text
# whose paragraph breaks were lost in extraction glues sentences together ("…such things?The
# answer, I realized, …"; ~500 times in the 212 essays): after a lower-case word, a capital
# followed by a lower-case letter starts one there too (not after "U.S.", not in "ASP.NET",
# not inside a web address such as "www.StartupIndia.gov.in").
SENTENCE_END_RE = re.compile(
    r"[.!?][\"')\]”’]*\s+(?=[\"'(\[“]?[A-Z0-9])"
    r"|(?<=[a-z0-9%])(?<!www)[.!?][\"')\]”’]*(?=[\"“]?[A-Z][a-z])(?![\w-]*\.[a-z])"
)
# A full stop after a title never ends a sentence ("Dr. Shukla", "Dr.Shukla"); after these
# abbreviations, not before a number ("a monthly alimony of Rs. 20,000", "plot No. 7").
_TITLE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Shri|Smt)$")
_BEFORE_NUMBER_RE = re.compile(r"\b(?:Rs|No|Nos|Vol|Fig|approx)$")
_NUMBER_NEXT_RE = re.compile(r"\s*\d")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether a match of SENTENCE_END_RE really ends a sentence (see the rules above)."""
    if text[match.start()] != ".":
        return True
    before = text[max(0, match.start() - 8):match.start()]
    if _TITLE_RE.search(before):
        return False
    return not (_BEFORE_NUMBER_RE.search(before)
                and _NUMBER_NEXT_RE.match(text, match.start() + 1) is not None)


def sentence_bounds(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], surrounding spaces excluded."""
    stop = len(text) if end is None else end
    bounds: list[tuple[int, int]] = []
    begin = start
    for match in SENTENCE_END_RE.finditer(text, start, stop):
        if _ends_sentence(text, match):
            bounds.append((begin, match.end()))
            begin = match.end()
    bounds.append((begin, stop))
    out = []
    for a, b in bounds:
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        if a < b:
            out.append((a, b))
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences."""
    text = paragraph.strip()
    return [text[a:b] for a, b in sentence_bounds(text)]
