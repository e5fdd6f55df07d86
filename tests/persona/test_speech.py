"""The quotable sentences of a post: what counts as his question, what may be quoted."""

from __future__ import annotations

from knowledge.embedding import Embedder
from knowledge.search import Passage, SearchHit
from persona.answer_plan import plan_answer
from persona.grounding import GroundingFilter, Source, contains_verbatim
from persona.speech import Said, said_in

TEXT = ("Most founders laugh at a lame-sounding idea when they first hear it. "
        'When I meet a founder with a lame-sounding idea, I ask "What giant is this the '
        'first toy version of?" Then the burden is on me to see how it could grow. '
        "The weather in the valley was warm that spring.")


def source(text: str = TEXT) -> Source:
    """One retrieved post holding `text` as its only passage."""
    hit = SearchHit(post_id="https://ada.example/lame", title="Lame Ideas",
                    url="https://ada.example/lame", source="lame.md", published=None,
                    tags=(), score=1.0, passages=[Passage("lame#0", 0, text)])
    return Source(1, hit, text)


def test_a_sentence_that_reports_a_question_is_a_statement() -> None:
    assert not Said(1, 0, 'I ask "What giant is this the first toy version of?"').is_question
    assert Said(1, 0, "“Should a city take a car lane away for a bus lane?”").is_question
    assert Said(1, 0, "Should we pay for open source?").is_question
    assert not Said(1, 0, "We should pay for open source.").is_question


def test_a_sentence_with_straight_quotes_stays_quotable_and_verbatim() -> None:
    said = said_in([source()])
    asking = [s for s in said if s.text.startswith("When I meet a founder")]
    assert len(asking) == 1, [s.text for s in said]
    text = asking[0].text
    # Its inner quotation is curly, so the reply's own straight quote marks still pair up …
    assert '"' not in text and "“What giant" in text and "of?”" in text
    # … and it still compares as verbatim with the post.
    assert contains_verbatim(TEXT, text)
    reply = GroundingFilter([source()])
    shown = reply.feed(f'I wrote: "{text}" [1]') + reply.finish()
    assert text in shown and reply.dropped_quotes == 0 and reply.cited == [1]


def test_the_sentence_holding_the_asked_fact_leads(embedder: Embedder) -> None:
    plan = plan_answer("What question does she ask about a startup with a lame-sounding idea?",
                       [source()], embedder)
    assert plan.lead and plan.lead[0].text.startswith("When I meet a founder"), plan.lead


def test_a_lead_followed_by_his_question_carries_the_answer_after_it(
        embedder: Embedder) -> None:
    text = ("I once watched pundits say with confidence that the flood would never reach the "
            "old town. How could they feel safe saying such things? The answer, I think, is "
            "that nobody would ever hold them to it. The river rose all the same.")
    plan = plan_answer("Why did pundits feel safe saying the flood would never reach the old "
                       "town?", [source(text)], embedder)
    lead = " ".join(s.text for s in plan.lead)
    assert lead.startswith("I once watched pundits"), lead
    assert "nobody would ever hold them to it" in lead, lead


def test_the_lead_reads_on_to_the_answer_after_the_sentence_naming_the_subject(
        embedder: Embedder) -> None:
    text = ("A grown man on a unicycle looks faintly ridiculous. My neighbour rides one to the "
            "station every morning. The real reason it looks odd is that the rider seems to work "
            "hard at standing still. Nobody minds a bicycle.")
    plan = plan_answer("Why does a grown man on a unicycle look ridiculous?", [source(text)],
                       embedder)
    lead = " ".join(s.text for s in plan.lead)
    assert lead.startswith("A grown man on a unicycle"), lead
    assert "work hard at standing still" in lead, lead
    assert "Nobody minds a bicycle" not in lead, lead  # one sentence further, no more


def test_reading_on_stops_at_an_intro_line(embedder: Embedder) -> None:
    text = ("The depot plan costs the town a fortune in diesel. We pay for it twice.\n\n"
            "Councillor Maas replied a week later:\n\nThe depots stay open until the audit ends.")
    plan = plan_answer("What does the depot plan cost the town?", [source(text)], embedder)
    lead = " ".join(s.text for s in plan.lead)
    assert lead.startswith("The depot plan costs"), lead
    assert "replied a week later" not in lead, lead


def test_what_he_proposed_is_never_an_objection_he_reports(embedder: Embedder) -> None:
    text = ("We should run a second night ferry from May, paid from the berth fees. The ferry "
            "timetable changed again in March. The fair objection is that the town should close "
            "the night berth to save money. My answer: the night berth pays for itself.")
    plan = plan_answer("Should the town close the night berth to save money?", [source(text)],
                       embedder, proposals=True)
    said = [s.text for s in plan.lead + plan.support + plan.proposal]
    assert plan.proposal, said
    assert all("objection" not in s.text for s in plan.proposal), said
    assert plan.proposal[0].text.startswith("We should run a second night ferry"), said


def test_a_long_line_that_introduces_a_quote_keeps_the_fact_it_holds(
        embedder: Embedder) -> None:
    # His shape: a news extract whose line ends in "saying," before the court's words, and
    # holds the asked fact itself.
    text = ("The Harbour Courier of 3 May 2016 reported following :\n\n"
            "Shopkeeper Mira runs a busy bakery with a yearly turnover of Rs. 3.1 millions.\n\n"
            "While settling the dispute, the district court ordered Mira to pay her former "
            "partner, a monthly allowance of Rs. 15,000 , saying,\n\n"
            "“ The law is equal for both. A partner who is working and able should support the "
            "one who is not.”\n\nWho says there is no equality in our courts !")
    plan = plan_answer("What allowance did the court order Mira to pay?", [source(text)],
                       embedder)
    lead = " ".join(s.text for s in plan.lead)
    assert "a monthly allowance of Rs. 15,000" in lead, lead
    assert "The law is equal for both" in lead, lead  # with what it introduces


def test_the_lead_reads_on_over_a_short_line_to_the_same_speakers_next_sentence(
        embedder: Embedder) -> None:
    text = ("Chamber of Shipping calls for rules on night ferries  …………  Coastal Times  /  "
            "09 March 2025\n\nExtract :\n\nThe chamber on Thursday asked the board to license "
            "every night crossing.\n\nI proposed exactly this in 2019.")
    plan = plan_answer("What did the Chamber of Shipping call for on night ferries?",
                       [source(text)], embedder)
    lead = " ".join(s.text for s in plan.lead)
    assert lead.startswith("Chamber of Shipping calls for rules"), lead
    assert "license every night crossing" in lead, lead
    assert "I proposed" not in lead, lead  # his words are not the report's


def test_his_long_line_before_someone_elses_words_keeps_its_fact_alone(
        embedder: Embedder) -> None:
    text = ("I was surprised to read that the district court ordered Mira to pay her former "
            "partner a monthly allowance of Rs. 15,000 , and the judge said :\n\n"
            "“ The law is equal for both. A partner who is working should support the one who "
            "is not.”")
    plan = plan_answer("What allowance did the court order Mira to pay?", [source(text)],
                       embedder)
    assert [s.text for s in plan.lead][:1] == [text.split("\n\n")[0]], plan.lead
    assert len({s.speaker for s in plan.lead}) == 1, plan.lead  # never his words and theirs


def test_a_line_that_stops_at_a_colon_or_comma_only_introduces() -> None:
    from persona.speech import Said

    for line in ["Councillor Maas replied a week later:", "Deputy Mayor Anton Bos wrote ,",
                 "Some ( experienced ? ) people are saying :"]:
        assert Said(1, 0, line).introduces, line
    assert not Said(1, 0, "I propose a leak check before the first bill.").introduces
