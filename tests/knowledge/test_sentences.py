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
    # Nor titles and abbreviations before a number or a name, nor a web address.
    ("The court ordered a monthly alimony of Rs. 20,000 to be paid. She appealed.",
     ["The court ordered a monthly alimony of Rs. 20,000 to be paid.", "She appealed."]),
    ("I wrote to Dr. Shukla and Mr. Rao about plot No. 7 in Ward No. 12. They agreed.",
     ["I wrote to Dr. Shukla and Mr. Rao about plot No. 7 in Ward No. 12.", "They agreed."]),
    ("The site (www.StartupIndia.gov.in) lists nothing. Nor can one register.",
     ["The site (www.StartupIndia.gov.in) lists nothing.", "Nor can one register."]),
    # The lower-case word still ends a sentence, and so does an abbreviation before a word.
    ("He said no. Then he left.", ["He said no.", "Then he left."]),
    ("Tata Sons Ltd. The firm denied it. The answer was No. We left.",
     ["Tata Sons Ltd.", "The firm denied it.", "The answer was No.", "We left."]),
    ("I met Dr.Shukla and Mr.Rao today. They agreed.",
     ["I met Dr.Shukla and Mr.Rao today.", "They agreed."]),
])
def test_sentence_ends(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
