"""Cue phrases that found a side where the author took none (seen on a real-shaped blog)."""

from __future__ import annotations

from persona.speech import Said
from persona.stance import sentence_polarity, stance_on, strong_polarity


def test_arguing_for_years_is_a_duration_not_a_side() -> None:
    # A ferry post argued against fare rises with "I have argued for years that …": the cue
    # read it as "for" and the debate took the wrong side.
    assert strong_polarity("I have argued for years that a ferry is a floating bridge.") == 0
    assert strong_polarity("I have argued for a congestion charge since 2018.") > 0


def test_a_question_in_quote_marks_is_still_a_question() -> None:
    assert Said(1, 0, "“ Should a city take a car lane away for a bus lane ? “").is_question
    assert Said(1, 0, "Should we pay for open source?").is_question
    assert not Said(1, 0, "We should pay for open source.").is_question


def test_a_blogger_who_argues_by_suggestion_takes_a_side() -> None:
    # The real author's posts put positions as proposals and rhetorical questions
    # (fictional sentences of those shapes): each states a side and may be evidence.
    proposals = ["Why not open the second berth to night ferries as well?",
                 "How about handing the idle depots to the cooperatives?",
                 "I urge the harbour board to publish the timetable data.",
                 "My suggestion : let the courts sit on Saturdays.",
                 "It would be much better if every ward had its own fast-track court."]
    for text in proposals:
        assert not Said(1, 0, text).is_question, text
        assert sentence_polarity(text) > 0, text
    assert sentence_polarity("The board must not raise fares again this winter.") < 0
    assert Said(1, 0, "Why did the board wait so long?").is_question


def test_proposals_decide_a_motion_they_are_about() -> None:
    evidence = [("Why not open the second berth to night ferries as well?", 0.7),
                ("I urge the harbour board to run ferries through the night.", 0.6),
                ("The board met on Monday.", 0.5)]
    assert stance_on("The harbour should run night ferries", evidence) == "for"
    assert stance_on("The harbour should not run night ferries", evidence) == "against"


def test_a_view_he_reports_as_others_does_not_vote() -> None:
    reported = ["Anti-subsidy people say that instead of building a tram we should widen the "
                "road.", "Some critics argue the council should sell the harbour berths.",
                "Many people think we should wait for the next election."]
    for text in reported:
        assert sentence_polarity(text) == 0, text
    assert stance_on("The council should widen the road", [(reported[0], 0.9)]) == "unclear"
    # His own view, even when he says it is his against others', still counts.
    assert sentence_polarity("I think we should widen the road, whatever others say.") > 0
    assert sentence_polarity("We should build the tram.") > 0
    for his in ["We should let people say what they think.",
                "Many of us think we should build the tram.",
                "I know some people say we should wait, but we should act now.",
                "I believe people should be free to say what they think."]:
        assert sentence_polarity(his) > 0, his


def test_how_a_blogger_approves_proposes_and_regrets() -> None:
    # Fictional sentences in the real author's ways of taking a side.
    approving = ["All of this is possible if the Harbour Minister just picks up the phone "
                 "and calls the shipyard.",
                 "Congratulations to the board for opening the night berth.",
                 "I welcome this step by the harbour board.",
                 "There is no mechanism using which ferry users can ask the board questions.",
                 "Compare the current timetable with my proposed method of booking."]
    for text in approving:
        assert sentence_polarity(text) > 0, text
    regretting = ["The new rule leaves little room for the needs of night workers.",
                  "Complex harbour issues are oversimplified to fit a headline.",
                  "What a pity the board closed the reading room."]
    for text in regretting:
        assert sentence_polarity(text) < 0, text
    # A regret about something else near the topic is no vote on it.
    assert sentence_polarity("And unfortunately schoolwork differs from work of one's own.") == 0
    assert sentence_polarity("There is no way to know the timetable in advance.") == 0
    for neutral in ["There is no policy reason to close the berth.",
                    "Nothing is possible if the Minister keeps ignoring us.",
                    "The ticketing app left little room for error and worked perfectly."]:
        assert sentence_polarity(neutral) == 0, neutral
