"""Who speaks where, on shapes of the real author's recent posts (fictional text): documents
and replies he pastes, AI services he asks, headlines he cites."""

from __future__ import annotations

import pytest

from knowledge.speakers import speaker_spans
from tests.support.spans import assert_covers, span_at


def test_his_own_following_rules_stay_his() -> None:
    text = ("I suggest the following rules for the night berth :\n\n"
            "Every ferry pays the same fee per metre.\n\nThe fees go to the harbour lights.")
    spans = speaker_spans(text)
    for phrase in ("I suggest", "Every ferry pays", "The fees go"):
        assert span_at(text, spans, phrase).speaker == "author", phrase


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
    assert span_at(text, spans, "Here is a short note").speaker == "author"
    for phrase in (opening[:10], "Let me do two things"):
        span = span_at(text, spans, phrase)
        assert span.speaker != "author", phrase
        assert span.label == "a reply I received", span


def test_his_name_line_and_his_own_dear_line_stay_his() -> None:
    text = ("Dear Mayor, the ferries run late again.\n\n"
            "Tomas Ferreira / tomas@example.org\n\nWe should add a second night ferry.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert span_at(text, spans, "We should add").speaker == "author"


def test_an_ai_service_named_by_its_web_address_answers_as_a_chatbot() -> None:
    text = ("I asked www.HarbourAGI.ai :\n\nIn my 2023 blog I proposed some clauses for the "
            "ferries. Which of them are still valid ?\n\n"
            "www.HarbourAGI.ai replied :\n\nMost of your clauses remain valid, and two have "
            "become more urgent.\n\nI agree with its reading of clause B.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)
    assert span_at(text, spans, "In my 2023 blog").speaker == "author"
    assert span_at(text, spans, "Most of your clauses").speaker == "chatbot"
    assert span_at(text, spans, "I agree with its reading").speaker == "author"


def test_a_headline_cited_with_source_and_date_is_the_reports() -> None:
    text = ("Regulating ferries : echoes are reverberating\n\n"
            "Chamber of Shipping calls for ferry rules   …………  Coastal Times  /  09 March 2023\n\n"
            "Extract :\n\nThe Chamber of Shipping on Thursday called for rules for night ferries."
            "\n\nMy Take :\n\nØ Ferreira’s Law of Ferries …………..  25 Feb 2023\n\n"
            "I proposed exactly this in 2019.")
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)
    headline = span_at(text, spans, "Chamber of Shipping calls")
    assert (headline.speaker, headline.label) == ("news", "a news report in Coastal Times")
    # His own earlier post, cited by title and date alone, stays his.
    for phrase in ("Ferreira’s Law of Ferries", "I proposed exactly this"):
        assert span_at(text, spans, phrase).speaker == "author", phrase


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

    assert span_at(text, spans, "It is just not enough").speaker == "author"
    assert span_at(text, spans, "What is urgently required").speaker == "author"
    # A news extract after it, announced as usual, is still the report's.
    assert span_at(text, spans, "Board drafts ferry app rules").speaker == "news"
    assert span_at(text, spans, "The Board said on Monday").speaker == "news"


def _labels(text: str) -> dict[str, tuple[str, str]]:
    """(speaker, label) at the start of each paragraph of a post by Tomas Ferreira."""
    spans = speaker_spans(text, author="Tomas Ferreira")
    assert_covers(text, spans)
    out = {}
    for paragraph in text.split("\n\n"):
        span = span_at(text, spans, paragraph)
        out[paragraph[:12]] = (span.speaker, span.label)
    return out


def test_his_reaction_after_a_reply_that_addresses_him_is_his_again() -> None:
    labels = _labels("Dear Tomas, what you propose is bold but costly.\n\n"
                     "Thanks for the reply. I still think the ferry must run every hour.")
    assert labels["Dear Tomas, "] == ("email", "a reply I received")
    assert labels["Thanks for th"[:12]][0] == "author"
    labels = _labels("Tomasji… the plan is bold.\n\nI disagree with one point: the fares.")
    assert labels["I disagree w"][0] == "author"


@pytest.mark.parametrize("text", [
    "Tomas: Should the town close the old berth at night?\n\nThe board must answer that.",
    "Tomas — that is me — has argued for a night ferry since 2019.\n\nIt is still needed.",
    "We need a night ferry.\n\nTomas, 12 March 2024\n\nMore on this later.",
])
def test_his_own_lines_that_start_with_his_name_stay_his(text: str) -> None:
    assert all(speaker != "email" for speaker, _ in _labels(text).values())


def test_a_named_sender_stays_named_when_the_reply_addresses_him() -> None:
    labels = _labels("Councillor Maas replied a week later:\n\nDear Tomas, thank you for your "
                     "e-mail.\n\nThe contracts run until 2027.")
    assert labels["Dear Tomas, "] == ("email", "a reply from Councillor Maas")
    labels = _labels("I asked ChatGPT about the berth.\n\nChatGPT replied :\n\nTomas, closing "
                     "the berth would save money.\n\nI disagree. The commuters come first.")
    assert labels["Tomas, closi"] == ("chatbot", "an answer from ChatGPT")
    assert labels["I disagree. "][0] == "author"


def test_lines_that_only_look_like_his_post_or_a_report_keep_their_speaker() -> None:
    # A headline cited with a date but no source, then its extract: still the report's.
    labels = _labels("Harbour Board Seeks to Close Old Berth ……… 22 March 2023\n\nExtract :\n\n"
                     "The Harbour Board said on Tuesday it will close the berth.")
    assert labels["The Harbour "][0] == "news"
    # Someone else's letter announced after "I sent": not an earlier post of his.
    labels = _labels("The Mayor answered the e-mail I sent last week with the following "
                     "letter :\n\nDear Mr Ferreira, we cannot fund it.")
    assert labels["Dear Mr Ferr"][1] != "an earlier post"
    # His own article announced with "following": not a news report.
    labels = _labels("Read the following article I wrote in 2019 :\n\nThe ferry must run every "
                     "hour.")
    assert labels["The ferry mu"][0] == "author"
    # His own post cited with his name where a paper's would be: not a news report.
    labels = _labels("Ferreira's Law of Ferries …… Tomas Ferreira / 25 Feb 2023\n\nMy law stands.")
    assert labels["Ferreira's L"][0] == "author"
