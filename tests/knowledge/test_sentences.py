"""Where sentences end, including text whose paragraph breaks were lost."""

from __future__ import annotations

import pytest

from knowledge.sentences import split_sentences


@pytest.mark.parametrize(("text", "sentences"), [
    ("How could they feel safe?The answer, I realized, is that they did not.",
     ["How could they feel safe?", "The answer, I realized, is that they did not."]),
    ("That is what I said.)The way to get ideas is this.",
     ["That is what I said.)", "The way to get ideas is this."]),
    ('He shouted "Sell!"Both sides lost.', ['He shouted "Sell!"', "Both sides lost."]),
    ("He said “go.” Then he left.", ["He said “go.”", "Then he left."]),
    # Not sentence ends: initials, dotted names, decimals.
    ("The U.S.Army is large. Node.js and ASP.NET are fine.",
     ["The U.S.Army is large.", "Node.js and ASP.NET are fine."]),
    ("Version 2.0 is out. It is 3.5 times faster.",
     ["Version 2.0 is out.", "It is 3.5 times faster."]),
])
def test_sentence_ends(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
