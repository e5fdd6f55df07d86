"""Every quotation form a model may use is checked: single, curly, guillemets, `>`, short."""

from __future__ import annotations

import pytest

from persona.grounding import GroundingFilter
from tests.persona.test_grounding import (
    MISQUOTE,
    REAL_CONGESTION,
    REAL_PLUMBING,
    make_sources,
    run,
)


def unquoted(text: str) -> tuple[str, int]:
    """The filtered text and how many short quotes lost their marks."""
    g = GroundingFilter(make_sources())
    return g.feed(text) + g.finish(), g.unquoted

FORMS = [("'", "'"), ("‘", "’"), ("«", "»"), ("„", "“"), ("‹", "›"), ("« ", " »")]


@pytest.mark.parametrize(("opener", "closer"), FORMS)
def test_an_invented_quote_in_any_quotation_marks_is_dropped(opener: str, closer: str) -> None:
    result = run(f"Years ago I wrote {opener}{MISQUOTE}{closer} [1]. That is still my view.")
    assert "rich and need nothing" not in result.text
    assert result.dropped_quotes == 1
    assert result.text.startswith("Years ago I wrote")


@pytest.mark.parametrize(("opener", "closer"), FORMS)
def test_a_real_quote_in_any_quotation_marks_is_kept_and_attributed(opener: str,
                                                                    closer: str) -> None:
    result = run(f"On cities I wrote {opener}{REAL_CONGESTION}{closer} [1] and I stand by it.")
    assert REAL_CONGESTION in result.text
    assert result.quotes == {2: REAL_CONGESTION}
    assert result.dropped_quotes == 0


def test_apostrophes_inside_a_single_quoted_quote_do_not_end_it() -> None:
    invented = "I don't think maintainers ever deserve a budget line of their own"
    result = run(f"I said '{invented}' [1]. It's my view, and the authors' view.")
    assert "ever deserve a budget line" not in result.text
    assert result.dropped_quotes == 1
    assert "It's my view, and the authors' view." in result.text


@pytest.mark.parametrize("step", [None, 1, 3, 7])
def test_a_block_quote_line_is_checked(step: int | None) -> None:
    text = (f"As I wrote:\n> {REAL_PLUMBING} [1]\nAnd a claim:\n> {MISQUOTE} [1]\n"
            "That is all.")
    result = run(text, step)
    assert REAL_PLUMBING in result.text
    assert "rich and need nothing" not in result.text
    assert result.dropped_quotes == 1
    assert result.text.startswith("As I wrote:\n> ")
    assert result.text.endswith("That is all.")


def test_a_block_quote_at_the_very_start_is_checked() -> None:
    result = run(f"> {MISQUOTE}\nThat was never mine.")
    assert "rich and need nothing" not in result.text
    assert result.dropped_quotes == 1


@pytest.mark.parametrize("mark", ['"', "“", "'", "«"])
def test_a_short_invented_quote_loses_its_quotation_marks(mark: str) -> None:
    closer = {"“": "”", "«": "»"}.get(mark, mark)
    text, count = unquoted(f"I once called maintainers {mark}lazy freeloaders{closer} [1]. No.")
    assert f"{mark}lazy freeloaders{closer}" not in text
    assert "lazy freeloaders" in text  # the words stay, no longer presented as his
    assert count == 1


def test_a_short_real_quote_keeps_its_marks() -> None:
    text, count = unquoted('I wrote "Plumbers get paid" [1] and “So should the people” [1].')
    assert '"Plumbers get paid"' in text and "“So should the people”" in text
    assert count == 0
