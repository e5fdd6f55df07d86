"""Who speaks where: the labeller on each shape of post the real author writes (fictional text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.post import Post
from knowledge.readers.feeds import read_feed
from knowledge.readers.files import read_path
from knowledge.speakers import (
    Hint,
    Span,
    decode_spans,
    encode_spans,
    spans_within,
    speaker_at,
    speaker_pieces,
    speaker_spans,
)
from tests.support.sample import SAMPLE_BLOG
from tests.support.spans import assert_covers, span_at


@pytest.fixture(scope="module")
def mixed(fixtures: Path) -> dict[str, Post]:
    """The mixed-shape Blogger feed's posts by title."""
    result = read_feed((fixtures / "mixed" / "feed.xml").read_bytes(), url="mixed/feed.xml")
    assert not result.failures
    return {p.title: p for p in result.posts}


def labelled(post: Post) -> list[tuple[str, str, str]]:
    """(speaker, label, text) of each span, text stripped."""
    return [(s.speaker, s.label, post.text[s.start : s.end].strip()) for s in post.spans]


def said_by(post: Post, speaker: str) -> str:
    """Everything one speaker says in a post, joined."""
    return "\n".join(t for s, _label, t in labelled(post) if s == speaker)


def speaker_of(post: Post, phrase: str) -> Span:
    """The span holding a phrase of the post."""
    span = speaker_at(post.spans, post.text.index(phrase))
    assert span is not None
    return span


def test_news_extract_with_report_adds_and_his_take(mixed: dict[str, Post]) -> None:
    post = mixed["Ferry Fares and the Commuter"]
    assert_covers(post.text, post.spans)
    intro = speaker_of(post, "Following news report appeared")
    assert intro.speaker == "author"
    for phrase in ("The Port Authority announced", "ridership had fallen",
                   "Report adds :", "Commuter groups have asked"):
        span = speaker_of(post, phrase)
        assert (span.speaker, span.label) == ("news", "a news report in Harbour Gazette"), phrase
    for phrase in ("My take :", "a ferry is a floating bridge", "Cap the monthly pass",
                   "Inner loop"):
        assert speaker_of(post, phrase).speaker == "author", phrase
    # A view he reports is not his, and his answer follows it at once.
    assert said_by(post, "objection") == (
        "Critics say a cheaper pass only helps those who already ride.")
    assert speaker_of(post, "But every empty seat").speaker == "author"
    assert said_by(post, "signoff") == "tomas ferreira ( 14 Mar 2016 )"


def test_email_with_headers_and_a_forwarded_reply(mixed: dict[str, Post]) -> None:
    post = mixed["Water Meters for Every Flat"]
    assert speaker_of(post, "Subject : Metering water").speaker == "email"
    # The e-mail he sent is his own writing; the colleague's reply is not.
    for phrase in ("Dear Mr Salgado,", "I believe a meter is the fairest way"):
        assert speaker_of(post, phrase).speaker == "author", phrase
    assert speaker_of(post, "Forwarded message").speaker == "email"
    for phrase in ("Dear Tomas,", "I am not convinced", "Best, Priya"):
        span = speaker_of(post, phrase)
        assert (span.speaker, span.label) == ("email", "an e-mail from Priya Raman"), phrase
    assert speaker_of(post, "I am posting this exchange").speaker == "author"
    assert said_by(post, "signoff").startswith("With regards, Tomas Ferreira")
    assert said_by(post, "signoff").endswith("tferreira-avatar.example")
    assert speaker_of(post, "With regards, Tomas Ferreira Flat 4B").speaker == "signoff"


def test_pasted_chatbot_answer_is_not_his(mixed: dict[str, Post]) -> None:
    post = mixed["What a Chatbot Told Me About Bus Lanes"]
    # His question (even in quotes) is his; the answer, its bullets included, is the bot's.
    assert speaker_of(post, "I asked ChatGPT").speaker == "author"
    assert speaker_of(post, "Should a city take a car lane").speaker == "author"
    for phrase in ("ChatGPT replied", "I recommend a careful study", "Possible delays"):
        span = speaker_of(post, phrase)
        assert (span.speaker, span.label) == ("chatbot", "an answer from ChatGPT"), phrase
    assert speaker_of(post, "I disagree with the last point").speaker == "author"
    assert speaker_of(post, "Debate it with my Virtual Avatar").speaker == "signoff"


def test_his_own_earlier_post_is_still_his(mixed: dict[str, Post]) -> None:
    post = mixed["Parking Fees, Again"]
    old = speaker_of(post, "I propose that the fee should follow the demand")
    assert (old.speaker, old.label) == ("author", "an earlier post (21 June 2010)")
    assert speaker_of(post, "as suggested in my following 6 YEAR old blog").label == ""
    assert speaker_of(post, "tomas ferreira ( 21 Jun 2010 )").speaker == "signoff"
    assert speaker_of(post, "Six years later").speaker == "author"
    assert speaker_of(post, "tomas ferreira ( 02 Aug 2016 )").speaker == "signoff"


def test_the_authors_name_is_a_hint_not_a_rule() -> None:
    text = "Ferries should be cheap.\n\ntomas ferreira ( 14 Mar 2016 )"
    assert [s.speaker for s in speaker_spans(text)] == ["author"]
    assert [s.speaker for s in speaker_spans(text, author="Tomas Ferreira")] == [
        "author", "signoff"]


@pytest.mark.parametrize(("name", "objection", "reply"), [
    ("2015-01-26-why-i-changed-my-mind-about-nuclear-power.md",
     "As a teenager I was, predictably, against nuclear power, mostly to annoy him.",
     "I carried that view"),
    ("2015-01-26-why-i-changed-my-mind-about-nuclear-power.md",
     "The best argument against nuclear is not safety, in my view, but cost and time. "
     "New plants in Europe have run years late and billions over budget.",
     "I take that seriously."),
    ("2016-06-06-who-pays-for-the-plumbing.md",
     "The counter-argument I respect most is this:", "I have seen a little of that."),
    ("2019-03-14-handing-over-the-keys-to-tidewater.md",
     "It goes: if I hand my project to a company-funded team", "That risk is real."),
])
def test_sample_blog_objections_are_answered(name: str, objection: str, reply: str) -> None:
    post = read_path(SAMPLE_BLOG / name).posts[0]
    span = speaker_of(post, objection)
    assert span.speaker == "objection"
    assert post.text[span.start : span.end].strip().endswith(".")
    # The reported view ends where the author's reply begins.
    after = speaker_of(post, reply)
    assert after.speaker == "author" and after.start == span.end


def test_every_sample_post_is_covered_and_ends_with_a_signoff() -> None:
    posts = read_path(SAMPLE_BLOG).posts
    for post in posts:
        assert_covers(post.text, post.spans)
        assert post.spans[-1].speaker == "signoff", post.title
        assert post.text[post.spans[-1].start :].startswith("Regards, Ada"), post.title


def test_structural_hints_mark_a_blockquote_without_quote_marks() -> None:
    text = "The council wrote to me.\n\nWe will review the fares in May.\n\nI doubt it."
    plain = speaker_spans(text)
    hinted = speaker_spans(text, structural=[Hint("We will   review the fares in May.")])
    assert [s.speaker for s in plain] == ["author"]
    assert [s.speaker for s in hinted] == ["author", "quote", "author"]


def test_quotation_marks_spanning_paragraphs() -> None:
    text = ("He said :\n\n“ The plan is sound.\n\nIt will be finished by June. ”\n\n"
            "I am less sure.")
    spans = speaker_spans(text)
    assert [s.speaker for s in spans] == ["author", "quote", "author"]
    assert text[spans[1].start : spans[1].end].strip().endswith("June. ”")


def test_metadata_string_round_trip_and_rejects_another_text() -> None:
    text = "Report :\n\nNews agency reports :\n\nA storm closed the port.\n\nI sailed anyway."
    spans = speaker_spans(text)
    encoded = encode_spans(spans)
    assert encoded.startswith("author:0-")
    assert "news:" in encoded and "|a news report in News agency" in encoded
    assert decode_spans(encoded, len(text)) == spans
    assert decode_spans(encoded, len(text) + 1) is None  # written for another text
    assert decode_spans("author:0-5;nobody:5-9", 9) is None
    assert decode_spans("", 0) is None


def test_labels_cannot_break_the_metadata_format() -> None:
    spans = (Span(0, 4, "news", "a report; by A|B"), Span(4, 9, "author"))
    assert decode_spans(encode_spans(spans), 9) == (
        Span(0, 4, "news", "a report, by A/B"), Span(4, 9, "author"))


def test_spans_within_a_window_and_pieces() -> None:
    text = "I think so.\n\nCritics say no. But they are wrong."
    spans = speaker_spans(text)
    assert [s.speaker for s in spans] == ["author", "objection", "author"]
    window = spans_within(spans, 5, len(text))
    assert window[0] == Span(0, spans[0].end - 5, "author")
    assert_covers(text[5:], window)
    pieces = speaker_pieces(text, spans)
    assert [(t, s.speaker) for t, s in pieces] == [
        ("I think so.", "author"), ("Critics say no.", "objection"),
        ("But they are wrong.", "author")]


def test_span_rejects_unknown_speakers() -> None:
    with pytest.raises(ValueError, match="unknown speaker"):
        Span(0, 1, "narrator")


@pytest.mark.parametrize(("name", "phrase", "speaker", "label"), [
    ("2025-05-12-the-scooter-trial-deserves-a-parking-rule-not-a-ban.md",
     "An alderman told the council", "news", "a news report in Rotterdam Courant"),
    ("2025-05-12-the-scooter-trial-deserves-a-parking-rule-not-a-ban.md",
     "nine thousand trips a day last summer", "news", "a news report in Rotterdam Courant"),
    ("2025-05-12-the-scooter-trial-deserves-a-parking-rule-not-a-ban.md",
     "My take: the council has found a real problem", "author", ""),
    ("2025-05-12-the-scooter-trial-deserves-a-parking-rule-not-a-ban.md",
     "The fair objection is that the scooters clutter pavements", "objection", ""),
    ("2025-09-22-an-e-mail-to-my-councillor-about-open-timetable-data.md",
     "Subject: Real-time tram and bus data", "email", "e-mail headers"),
    ("2025-09-22-an-e-mail-to-my-councillor-about-open-timetable-data.md",
     "I am writing to ask that the city publish", "author", ""),
    ("2025-09-22-an-e-mail-to-my-councillor-about-open-timetable-data.md",
     "I cannot promise more than a review", "email", "a reply from Councillor Maas"),
    ("2025-09-22-an-e-mail-to-my-councillor-about-open-timetable-data.md",
     "Kind regards, Pieter Maas", "email", "a reply from Councillor Maas"),
    ("2025-09-22-an-e-mail-to-my-councillor-about-open-timetable-data.md",
     "I am grateful for a straight answer", "author", ""),
    ("2025-11-03-i-asked-a-chatbot-about-the-right-to-repair.md",
     "Should manufacturers be required", "author", ""),
    ("2025-11-03-i-asked-a-chatbot-about-the-right-to-repair.md",
     "let the market decide the rest", "chatbot", "an answer from ChatGPT"),
    ("2025-11-03-i-asked-a-chatbot-about-the-right-to-repair.md",
     "I disagree with the middle of that answer", "author", ""),
])
def test_sample_posts_that_quote_others(name: str, phrase: str, speaker: str,
                                        label: str) -> None:
    post = read_path(SAMPLE_BLOG / name).posts[0]
    span = speaker_of(post, phrase)
    assert (span.speaker, span.label) == (speaker, label)


# Intro lines of the shapes his posts use for an extract (fictional text throughout): the
# extract is the source's, the line and his comment after it are his.
EXTRACT = ("The harbour board on Monday approved a second ferry berth, citing a rise in "
           "commuter traffic of a fifth since last spring.\n\n"
           "Officials said the berth would open within two years.")
COMMENT = "Why not open the berth to night ferries as well? I proposed this in 2019."


@pytest.mark.parametrize(("intro", "label"), [
    ("Harbour Gazette ( 17 Feb ) carries following news :", "a news report in Harbour Gazette"),
    ("The Coastal Times published the following report :", "a news report in The Coastal Times"),
    ("Following headline in Harbour Gazette ( 26 Feb ) :", "a news report in Harbour Gazette"),
    ("I came across a news-report in Coastal Times ( 3 Mar ), titled :",
     "a news report in Coastal Times"),
    ("Harbour Gazette of April 01,2011 reported following :", "a news report in Harbour Gazette"),
    ("Tidepedia defines “ berth “ as follows :", "an extract from Tidepedia"),
    ("Just read in today’s Coastal Times ( print copy ):", "a news report in Coastal Times"),
    ("Context :\n\nSecond berth approved for the night ferry\n\nExtract :", "a news report"),
    ("Just came across following report :", "a news report"),
    # A rule or definition someone else wrote, announced by a question of his.
    ("How about asking the Port Board what the capital letters mean in its following "
     "definition of a NIGHT FERRY ?", "an official text"),
])
def test_an_introduced_extract_is_not_his(intro: str, label: str) -> None:
    text = f"{intro}\n\n{EXTRACT}\n\n{COMMENT}"
    spans = speaker_spans(text)
    assert_covers(text, spans)

    def at(phrase: str) -> tuple[str, str]:
        span = span_at(text, spans, phrase)
        return span.speaker, span.label

    assert at(intro[:12])[0] == "author"
    assert at("The harbour board on Monday") == ("news", label)
    assert at("Officials said the berth") == ("news", label)
    assert at("Why not open the berth") == ("author", "")


def test_his_exclamation_after_an_extract_is_his() -> None:
    text = ("Harbour Gazette ( 2 May ) reports :\n\n" + EXTRACT
            + "\n\nWho says the harbour board never listens !")
    spans = speaker_spans(text)
    assert span_at(text, spans, "Who says").speaker == "author"


@pytest.mark.parametrize("intro", [
    "Dear Mayor ,\n\nDuring past few weeks , you have repeatedly said :",
    "Yesterday , in his letter to the ward officers , Deputy Mayor Anton Bos wrote ,",
    "At the launch , the harbour master told reporters :",
])
def test_words_announced_by_a_said_line_are_not_his_even_without_quote_marks(
        intro: str) -> None:
    words = ("As soon as the new council is formed , our first task will be to release a "
             "100 days plan . It will list some really big reforms")
    text = f"{intro}\n\n{words}\n\nTen years ago , I sent you my 30 suggestions"
    spans = speaker_spans(text)
    assert_covers(text, spans)

    def at(phrase: str) -> str:
        span = span_at(text, spans, phrase)
        return span.speaker

    assert at(intro.split("\n")[-1][:10]) == "author"
    assert at("our first task") == "quote"
    assert at("Ten years ago") == "author"   # one paragraph of theirs, then his again


def test_his_own_said_line_keeps_what_follows_his() -> None:
    text = ("Last year I said :\n\nThe berth should open at night\n\n"
            "Nothing has changed since")
    spans = speaker_spans(text)
    assert span_at(text, spans, "The berth should").speaker == "author"


def test_a_said_line_inside_a_news_extract_leaves_the_rest_of_it_news() -> None:
    text = ("Harbour Gazette ( 11 Jan ) carries following news :\n\n"
            "The company reported a loss for the ninth year .\n\n"
            "Speaking at the launch , the harbour master told reporters :\n\n"
            "We will lease the depots to a logistics firm .\n\n"
            "The company will also lease three depots to a developer .\n\n"
            "It is high time the council sells that land !")
    spans = speaker_spans(text)
    for phrase in ("Speaking at the launch", "We will lease", "The company will also lease"):
        assert span_at(text, spans, phrase).speaker == "news", phrase
    assert span_at(text, spans, "It is high time").speaker == "author"


@pytest.mark.parametrize(("intro", "speaker"), [
    ("In 2015 I wrote to the Mayor . He said :", "quote"),
    ("The minister said and I quote :", "quote"),
    ("That said ,", "author"),
    ("As everyone says ,", "author"),
    ("Last year , as the Gazette stated ,", "author"),
])
def test_which_said_lines_announce_someone_elses_words(intro: str, speaker: str) -> None:
    text = f"{intro}\n\nOur first task will be a plan for the harbour\n\nI sent my suggestions"
    span = speaker_at(speaker_spans(text), text.index("Our first task"))
    assert span is not None and span.speaker == speaker

