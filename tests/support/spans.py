"""Checks on speaker spans shared by the labeller's tests."""

from __future__ import annotations

from itertools import pairwise

from knowledge.speakers import Span, speaker_at


def assert_covers(text: str, spans: tuple[Span, ...]) -> None:
    """The spans tile the whole text, in order, without gaps or overlaps."""
    assert spans[0].start == 0 and spans[-1].end == len(text)
    assert all(a.end == b.start for a, b in pairwise(spans))


def span_at(text: str, spans: tuple[Span, ...], phrase: str) -> Span:
    """The span holding the first character of `phrase` in `text` (there always is one)."""
    span = speaker_at(spans, text.index(phrase))
    assert span is not None, phrase
    return span
