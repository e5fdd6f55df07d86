"""Who speaks where, on shapes of the real author's recent posts (fictional text): documents
and replies he pastes, AI services he asks, headlines he cites."""

from __future__ import annotations

import pytest

from knowledge.speakers import speaker_at, speaker_spans
from tests.support.spans import assert_covers


def test_his_own_following_rules_stay_his() -> None:
    text = ("I suggest the following rules for the night berth :\n\n"
            "Every ferry pays the same fee per metre.\n\nThe fees go to the harbour lights.")
    spans = speaker_spans(text)
    for phrase in ("I suggest", "Every ferry pays", "The fees go"):
        span = speaker_at(spans, text.index(phrase))
        assert span is not None and span.speaker == "author", phrase


@pytest.mark.parametrize("opening", [
    "Tomasji… what you are proposing here is bold.",
    "Dear Tomas, thank you for the note on the ferries.",
    "Tomas, this is a strong idea.",
])
def test_a_reply_that_addresses_him_by_name_is_not_his(opening: str) -> None:
    # His shape: a note of his, then an answer he got (often a chatbot's) that opens by
    # addressing him, with no line announcing it.
    text = ("Here is a short note which I propose to send to the harbour board : let us run "
            "a second night ferry.\n\n"
            f"{opening} This is not just a timetable change, it is a new harbour.\n\n"
            "Let me do two things for you: rewrite your note, and sketch a timetable.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)
    mine = speaker_at(spans, text.index("Here is a short note"))
    assert mine is not None and mine.speaker == "author"
    for phrase in (opening[:10], "Let me do two things"):
        span = speaker_at(spans, text.index(phrase))
        assert span is not None and span.speaker != "author", phrase
        assert span.label == "a reply I received", span


def test_his_name_line_and_his_own_dear_line_stay_his() -> None:
    text = ("Dear Mayor, the ferries run late again.\n\n"
            "Tomas Ferreira / tomas@example.org\n\nWe should add a second night ferry.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    span = speaker_at(spans, text.index("We should add"))
    assert span is not None and span.speaker == "author"


def test_an_ai_service_named_by_its_web_address_answers_as_a_chatbot() -> None:
    text = ("I asked www.HarbourAGI.ai :\n\nIn my 2023 blog I proposed some clauses for the "
            "ferries. Which of them are still valid ?\n\n"
            "www.HarbourAGI.ai replied :\n\nMost of your clauses remain valid, and two have "
            "become more urgent.\n\nI agree with its reading of clause B.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)

    def speaker(phrase: str) -> str:
        span = speaker_at(spans, text.index(phrase))
        assert span is not None
        return span.speaker

    assert speaker("In my 2023 blog") == "author"
    assert speaker("Most of your clauses") == "chatbot"
    assert speaker("I agree with its reading") == "author"


def test_a_headline_cited_with_source_and_date_is_the_reports() -> None:
    text = ("Regulating ferries : echoes are reverberating\n\n"
            "Chamber of Shipping calls for ferry rules   …………  Coastal Times  /  09 March 2023\n\n"
            "Extract :\n\nThe Chamber of Shipping on Thursday called for rules for night ferries."
            "\n\nMy Take :\n\nØ Ferreira’s Law of Ferries …………..  25 Feb 2023\n\n"
            "I proposed exactly this in 2019.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)
    headline = speaker_at(spans, text.index("Chamber of Shipping calls"))
    assert headline is not None
    assert (headline.speaker, headline.label) == ("news", "a news report in Coastal Times")
    # His own earlier post, cited by title and date alone, stays his.
    for phrase in ("Ferreira’s Law of Ferries", "I proposed exactly this"):
        span = speaker_at(spans, text.index(phrase))
        assert span is not None and span.speaker == "author", phrase


def test_his_own_law_resent_by_email_and_cited_by_title_stays_his() -> None:
    text = ("Exactly 3 years back , I sent following email to our Harbour Councillors ( followed "
            "by a number of reminders ) :\n\n"
            "> Ferreira’s Law of Ferries ……………………..  25 Feb 2023\n\nExtract :\n\n"
            "It is just not enough for each ferry company to fix its own app in a piecemeal "
            "fashion\n\n"
            "What is urgently required is one LAW of FERRY APPS , which every operator MUST "
            "comply with\n\n"
            "Context :\n\nBoard drafts ferry app rules\n\nExtract :\n\n"
            "The Board said on Monday it is drafting rules for ferry apps.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)

    def speaker(phrase: str) -> str:
        span = speaker_at(spans, text.index(phrase))
        assert span is not None
        return span.speaker

    assert speaker("It is just not enough") == "author"
    assert speaker("What is urgently required") == "author"
    # A news extract after it, announced as usual, is still the report's.
    assert speaker("Board drafts ferry app rules") == "news"
    assert speaker("The Board said on Monday") == "news"
