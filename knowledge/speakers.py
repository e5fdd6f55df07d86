"""Who is speaking in a post: the author, or material he quotes (news, e-mails, chatbots...).

A post's normalized text (paragraphs split by one blank line) is covered, without gaps or
overlaps, by `Span`s. Paragraphs are labelled by the cue tables of `speaker_rules` and by
structural hints from readers (a `<blockquote>`, a Markdown `>` block); inside the author's
own paragraphs, sentences that report a view he then answers are labelled "objection".
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from knowledge import sentences, speaker_paragraphs, speaker_rules
from knowledge.sentences import sentence_bounds
from knowledge.speaker_paragraphs import label_paragraphs
from knowledge.speaker_rules import (
    FIRST_PERSON_RE,
    MAX_OBJECTION_SENTENCES,
    OBJECTION_GOES_RE,
    OBJECTION_RES,
    QUOTED_RE,
    REPLY_CUE_RE,
)

SPEAKERS = ("author", "quote", "news", "email", "chatbot", "signoff", "objection")
# How a span reads when it has no label of its own.
DEFAULT_LABELS = {
    "author": "", "quote": "someone else's words", "news": "a news report", "email": "an e-mail",
    "chatbot": "a chatbot's answer", "signoff": "the sign-off",
    "objection": "a view the author answers",
}
_PARA_SEP = re.compile(r"\n[ \t]*\n\s*")
# Which labelling made a post's stored speakers: the code of the labeller itself, so any
# change to its rules relabels an archive at its next ingest (metadata only, no embedding).
LABEL_RULES = hashlib.sha256(b"".join(
    Path(module.__file__ or "").read_bytes()
    for module in (sentences, speaker_rules, speaker_paragraphs))
    + Path(__file__).read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a text, said by `speaker`; `label` names the source."""

    start: int
    end: int
    speaker: str
    label: str = ""

    def __post_init__(self) -> None:
        if self.speaker not in SPEAKERS:
            raise ValueError(f"unknown speaker {self.speaker!r} (one of {', '.join(SPEAKERS)})")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}-{self.end}")

    @property
    def is_author(self) -> bool:
        """True for the author's own words as his view (not a view he reports to answer)."""
        return self.speaker == "author"

    @property
    def description(self) -> str:
        """The label, or a generic one for the speaker ('' for the author's words)."""
        return self.label or DEFAULT_LABELS[self.speaker]


@dataclass(frozen=True)
class Hint:
    """Text a reader knows the speaker of from the markup (a <blockquote>, a '>' block)."""

    text: str
    speaker: str = "quote"


def speaker_spans(text: str, *, structural: Iterable[Hint] = (),
                  author: str = "") -> tuple[Span, ...]:
    """Label a normalized post text; author (the post's author name) helps find sign-offs."""
    paragraphs = paragraph_bounds(text)
    if not paragraphs:
        return ()
    labels = label_paragraphs([text[a:b] for a, b in paragraphs], _hinted(structural), author)
    pieces: list[Span] = []
    for (start, end), (speaker, label) in zip(paragraphs, labels, strict=True):
        if speaker == "author":
            pieces.extend(_objections(text, start, end, label))
        else:
            pieces.append(Span(start, end, speaker, label))
    return _cover(pieces, len(text))


def _hinted(structural: Iterable[Hint]) -> dict[str, str]:
    """Each hinted paragraph, whitespace collapsed as in a normalized post, to its speaker."""
    hinted: dict[str, str] = {}
    for hint in structural:
        for paragraph in _PARA_SEP.split(hint.text):
            if paragraph.strip():
                hinted[" ".join(paragraph.split())] = hint.speaker
    return hinted


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blank-line separated), surrounding spaces excluded."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in [*_PARA_SEP.finditer(text), None]:
        stop = match.start() if match else len(text)
        piece = text[position:stop]
        start = position + len(piece) - len(piece.lstrip())
        end = stop - (len(piece) - len(piece.rstrip()))
        if start < end:
            bounds.append((start, end))
        if match:
            position = match.end()
    return bounds


def _objections(text: str, start: int, end: int, label: str) -> list[Span]:
    """The author's paragraph, with the sentences of any view he reports as 'objection'."""
    bounds = sentence_bounds(text, start, end)
    flags = objection_flags([text[a:b] for a, b in bounds])
    spans: list[Span] = []
    for (a, b), flag in zip(bounds, flags, strict=True):
        speaker = "objection" if flag else "author"
        if spans and spans[-1].speaker == speaker:
            spans[-1] = Span(spans[-1].start, b, speaker, spans[-1].label)
        else:
            spans.append(Span(a, b, speaker, "" if flag else label))
    return spans or [Span(start, end, "author", label)]


def objection_flags(sentences: list[str]) -> list[bool]:
    """For each sentence of a paragraph: does it state a view the author goes on to answer?"""
    flags = [False] * len(sentences)
    i = 0
    while i < len(sentences):
        if not any(p.search(sentences[i]) for p in OBJECTION_RES):
            i += 1
            continue
        flags[i] = True
        j = i + 1
        # The view goes on until the author answers: a reply cue or his own voice again.
        while j < len(sentences) and j - i < MAX_OBJECTION_SENTENCES and _continues(sentences[j]):
            flags[j] = True
            j += 1
        i = j
    return flags


def _continues(sentence: str) -> bool:
    if OBJECTION_GOES_RE.match(sentence):
        return True
    own_voice = FIRST_PERSON_RE.search(QUOTED_RE.sub("", sentence))
    return not (REPLY_CUE_RE.match(sentence) or own_voice)


def _cover(pieces: list[Span], length: int) -> tuple[Span, ...]:
    """Merge neighbours with the same speaker and label; stretch spans over the gaps."""
    merged: list[Span] = []
    for piece in pieces:
        if merged and (merged[-1].speaker, merged[-1].label) == (piece.speaker, piece.label):
            merged[-1] = Span(merged[-1].start, piece.end, piece.speaker, piece.label)
        else:
            merged.append(piece)
    covered: list[Span] = []
    for index, span in enumerate(merged):
        start = 0 if index == 0 else covered[-1].end
        end = merged[index + 1].start if index + 1 < len(merged) else length
        covered.append(Span(start, end, span.speaker, span.label))
    return tuple(covered)


def speaker_at(spans: tuple[Span, ...], offset: int) -> Span | None:
    """The span holding character `offset` (None when outside every span)."""
    index = bisect.bisect_right([s.start for s in spans], offset) - 1
    if 0 <= index < len(spans) and spans[index].start <= offset < spans[index].end:
        return spans[index]
    return None


def spans_within(spans: tuple[Span, ...], start: int, end: int) -> tuple[Span, ...]:
    """The spans cut to text[start:end], with offsets relative to `start`."""
    out = []
    for span in spans:
        a, b = max(span.start, start), min(span.end, end)
        if a < b:
            out.append(Span(a - start, b - start, span.speaker, span.label))
    return tuple(out)


def speaker_pieces(text: str, spans: tuple[Span, ...]) -> list[tuple[str, Span]]:
    """The text as sentences (never across a paragraph or a span), each with its span."""
    pieces: list[tuple[str, Span]] = []
    for span in spans:
        for p_start, p_end in paragraph_bounds(text[span.start : span.end]):
            first = span.start + p_start
            for a, b in sentence_bounds(text, first, span.start + p_end):
                pieces.append((text[a:b], span))
    return pieces


def encode_spans(spans: tuple[Span, ...]) -> str:
    """Spans as one flat metadata string: 'author:0-312;news:314-980|a news report in X'."""
    parts = []
    for span in spans:
        part = f"{span.speaker}:{span.start}-{span.end}"
        if span.label:
            part += "|" + span.label.replace(";", ",").replace("|", "/")
        parts.append(part)
    return ";".join(parts)


def decode_spans(value: object, length: int) -> tuple[Span, ...] | None:
    """Spans from encode_spans' string; None when missing or not covering [0, length)."""
    if not isinstance(value, str) or not value:
        return None
    spans: list[Span] = []
    try:
        for part in value.split(";"):
            head, _, label = part.partition("|")
            speaker, _, where = head.partition(":")
            start, _, end = where.partition("-")
            spans.append(Span(int(start), int(end), speaker, label))
    except ValueError:
        return None
    contiguous = all(a.end == b.start for a, b in pairwise(spans))
    if spans[0].start != 0 or spans[-1].end != length or not contiguous:
        return None  # written for another text (or by a bug): label the text afresh instead
    return tuple(spans)
