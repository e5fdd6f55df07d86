"""Reading a debate from the conversation: motion, sides, rounds (no model, no archive)."""

from __future__ import annotations

import pytest

from persona.citation_order import CitationOrder
from persona.debate import motion_of, read_debate, states_position
from persona.messages import Turn


def unrelated(a: str, b: str) -> float:
    """A stand-in similarity: a shared word of five letters or more (not 'should')."""
    def words(text: str) -> set[str]:
        return {w for w in text.lower().split() if len(w) >= 5} - {"should"}
    return 0.5 if words(a) & words(b) else 0.0


def users(*messages: str) -> list[Turn]:
    out = []
    for m in messages:
        out += [Turn("user", m), Turn("assistant", "a reply")]
    return out


def test_the_first_position_is_the_motion() -> None:
    state = read_debate("Cities should introduce congestion charging", related=unrelated)
    assert (state.motion, state.reader_side, state.latest, state.round) == (
        "Cities should introduce congestion charging", "for", "", 1)


def test_a_rebuttal_is_a_new_round_not_a_new_motion() -> None:
    state = read_debate("But poor drivers pay the most.",
                        users("What do you think about open source?",
                              "Cities should introduce congestion charging"),
                        related=unrelated)
    assert state.motion == "Cities should introduce congestion charging"
    assert state.latest == "But poor drivers pay the most."
    assert state.round == 2


def test_a_related_statement_argues_the_motion() -> None:
    state = read_debate("Congestion in cities comes from deliveries, not commuters.",
                        users("Cities should introduce congestion charging"),
                        related=unrelated)
    assert state.round == 2 and state.motion.startswith("Cities should")


def test_an_unrelated_position_opens_a_new_debate() -> None:
    state = read_debate("Nuclear power should be phased out",
                        users("Cities should introduce congestion charging",
                              "But poor drivers pay the most."),
                        related=unrelated)
    assert (state.motion, state.round) == ("Nuclear power should be phased out", 1)


def test_a_question_stands_in_only_until_a_position_comes() -> None:
    state = read_debate("Nuclear power is the only firm low-carbon source",
                        users("What do you think about nuclear power?"), related=unrelated)
    assert state.motion == "Nuclear power is the only firm low-carbon source"
    assert state.round == 1


def test_the_side_in_the_wording_and_the_explicit_side() -> None:
    assert motion_of("I oppose congestion charging in small towns") == (
        "Congestion charging in small towns", "against")
    assert motion_of("I think that remote work is here to stay.") == (
        "Remote work is here to stay", "for")
    state = read_debate("Cities should introduce congestion charging", related=unrelated,
                        side="against")
    assert state.reader_side == "against"
    with pytest.raises(ValueError):
        read_debate("x y z", related=unrelated, side="sideways")


def test_a_pinned_motion_makes_every_message_an_argument() -> None:
    state = read_debate("Nuclear waste is unsolved", users("Congestion Charging Revisited"),
                        related=unrelated, motion="Congestion Charging Revisited")
    assert (state.motion, state.latest, state.round) == (
        "Congestion Charging Revisited", "Nuclear waste is unsolved", 2)


@pytest.mark.parametrize("text", ["Why do you say that?", "But that costs money.",
                                  "What about night buses?", "ok"])
def test_questions_and_replies_state_no_position(text: str) -> None:
    assert not states_position(text)


def test_citations_are_numbered_in_order_of_first_use() -> None:
    order = CitationOrder(sources=4)
    assert order.feed("first [3], then [1]") == "first [1], then [2]"
    quoted = ' "a footnote [2] inside a quote" '
    assert order.feed(quoted + "[3]") == quoted + "[1]"
    assert order.feed("[9] is no source") == "[9] is no source"
    assert order.in_order() == [3, 1]


def test_opening_a_pinned_post_or_asking_takes_no_side() -> None:
    # The pinned motion is the post's claim, not the reader's, whatever its wording.
    opened = read_debate("Companies should fund open source", related=unrelated,
                         motion="Companies should fund open source")
    assert (opened.reader_side, opened.latest, opened.round) == ("", "", 1)
    assert opened.to_json()["reader_side"] is None
    picked = read_debate("It costs them nothing to give", users("Companies should fund open "
                                                                "source"),
                         related=unrelated, motion="Companies should fund open source",
                         side="against")
    assert (picked.reader_side, picked.round) == ("against", 2)
    asked = read_debate("Should cities ban cars from their centres?", related=unrelated)
    assert asked.reader_side == ""
    assert read_debate("Cities should ban cars from their centres",
                       related=unrelated).reader_side == "for"


def test_a_reader_with_no_side_yet_takes_the_one_he_states_later() -> None:
    state = read_debate("I oppose banning cars from city centres",
                        users("Should cities ban cars from their centres?"),
                        related=lambda a, b: 0.5)
    assert (state.reader_side, state.round) == ("against", 2)
    # "Why not …?" proposes what it asks, as his own "Why not …?" does in his posts.
    assert motion_of("Why not ban cars from city centres?")[1] == "for"
