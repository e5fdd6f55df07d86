"""Where sentences begin and end in a paragraph (a light rule-based splitter)."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (plus closing quotes/brackets) before a capital or digit. Text
# whose paragraph breaks were lost in extraction glues sentences together ("…such things?The
# answer, I realized, …"; ~500 times in the 212 essays): after a lower-case word, a capital
# followed by a lower-case letter starts one there too (not after "U.S.", not in "ASP.NET").
# Not after a title or an abbreviation that a number or a name follows ("a monthly alimony
# of Rs. 20,000", "Dr. Shukla", "No. 7"), and not inside a web address ("www.StartupIndia.gov.in").
_NOT_AFTER = (r"(?<!\bRs)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bNos)"
              r"(?<!\bProf)(?<!\bShri)(?<!\bSmt)(?<!\bvs)(?<!\bviz)(?<!\bapprox)(?<!\bVol)"
              r"(?<!\bFig)(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bJr)(?<!\bSr)")
SENTENCE_END_RE = re.compile(
    rf"(?:{_NOT_AFTER}\.|[!?])[\"')\]”’]*\s+(?=[\"'(\[“]?[A-Z0-9])"
    r"|(?<=[a-z0-9%])(?<!www)[.!?][\"')\]”’]*(?=[\"“]?[A-Z][a-z])(?![\w-]*\.[a-z])"
)


def sentence_bounds(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], surrounding spaces excluded."""
    stop = len(text) if end is None else end
    bounds: list[tuple[int, int]] = []
    begin = start
    for match in SENTENCE_END_RE.finditer(text, start, stop):
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
