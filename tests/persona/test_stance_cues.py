"""Cue phrases that found a side where the author took none (seen on a real-shaped blog)."""

from __future__ import annotations

from persona.speech import Said
from persona.stance import strong_polarity


def test_arguing_for_years_is_a_duration_not_a_side() -> None:
    # A ferry post argued against fare rises with "I have argued for years that …": the cue
    # read it as "for" and the debate took the wrong side.
    assert strong_polarity("I have argued for years that a ferry is a floating bridge.") == 0
    assert strong_polarity("I have argued for a congestion charge since 2018.") > 0


def test_a_question_in_quote_marks_is_still_a_question() -> None:
    assert Said(1, 0, "“ Should a city take a car lane away for a bus lane ? “").is_question
    assert Said(1, 0, "Should we pay for open source?").is_question
    assert not Said(1, 0, "We should pay for open source.").is_question
