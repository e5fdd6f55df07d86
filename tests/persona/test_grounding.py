"""The grounding filter on its own: citations and quotes checked against the sources (no model)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from knowledge.search import Passage, SearchHit
from persona.grounding import GroundingFilter, Source

PLUMBING = (
    "Open-source code is the plumbing of modern software. I believe companies that depend on "
    "open-source software have a responsibility to pay the people who maintain it, in "
    "proportion to how much they depend on it.\n\n"
    "Plumbers get paid. So should the people who keep the pipes of the internet from leaking."
)
CONGESTION = (
    "I want to make the boring economic case, because I believe congestion charging is one of "
    "the most sensible policies a city can adopt. Road space at rush hour is scarce, and we "
    "currently hand it out by queueing.\n\n"
    "If the revenue goes into cheaper and more frequent public transport, as it must, the "
    "charge is progressive in its overall effect."
)
NUCLEAR = (
    "In 2015 I changed my mind about nuclear power. I had opposed it for twenty years, and "
    "the reason I changed was arithmetic, not fashion."
)
TITLES = [
    "Who Pays for the Plumbing?",
    "Congestion Charging Is a Price, Not a Punishment",
    "Why I Changed My Mind About Nuclear Power",
    "The Night Bus Test",
    "Automate the Drudgery First",
]
TEXTS = [
    PLUMBING,
    CONGESTION,
    NUCLEAR,
    "The night bus is the real test of a city's transport policy. I rode every line once.",
    "Automate the boring parts of your job before the interesting ones. I did so in 2016.",
]
REAL_PLUMBING = ("I believe companies that depend on open-source software have a "
                 "responsibility to pay the people who maintain it, in proportion to how much "
                 "they depend on it.")
REAL_CONGESTION = ("I want to make the boring economic case, because I believe congestion "
                   "charging is one of the most sensible policies a city can adopt.")
MISQUOTE = "Open-source maintainers are all rich and need nothing from anybody"


def make_sources() -> list[Source]:
    """Five retrieved posts, numbered 1..5 as the model sees them."""
    sources = []
    for n, (title, text) in enumerate(zip(TITLES, TEXTS, strict=True), 1):
        slug = title.lower().replace(" ", "-")
        hit = SearchHit(post_id=f"https://ada.example/{slug}", title=title,
                        url=f"https://ada.example/{slug}", source=f"{slug}.md", published=None,
                        tags=(), score=1.0 / n, passages=[Passage(f"{slug}#0", 0, text)])
        sources.append(Source(n, hit, text))
    return sources


@dataclass
class Filtered:
    """What the filter let through, and what it recorded."""

    text: str
    cited: list[int]
    quotes: dict[int, str]
    dropped_citations: int
    dropped_quotes: int
    repaired_quotes: int


def run(text: str, step: int | None = None) -> Filtered:
    """Feed text whole (step None) or in pieces of `step` characters, then finish."""
    g = GroundingFilter(make_sources())
    if step is None:
        out = g.feed(text) + g.finish()
    else:
        out = "".join(g.feed(text[i : i + step]) for i in range(0, len(text), step))
        out += g.finish()
    return Filtered(out, list(g.cited), dict(g.quotes), g.dropped_citations, g.dropped_quotes,
                    g.repaired_quotes)


def test_invented_citation_is_removed() -> None:
    result = run("Companies should pay for what they use [1][9]. Cities should charge for "
                 "road space [2, 9] and I said so in 2018 [12].")
    assert "[9]" not in result.text and "9]" not in result.text
    assert "[12]" not in result.text
    assert "[1]" in result.text and "[2]" in result.text
    assert result.cited == [1, 2]
    assert result.dropped_citations == 3


def test_invented_quote_is_dropped_and_counted() -> None:
    result = run(f'Years ago I wrote "{MISQUOTE}" [1]. That is still my view.')
    assert MISQUOTE not in result.text
    assert "rich and need nothing" not in result.text
    assert result.dropped_quotes == 1
    assert result.repaired_quotes == 0
    assert all("rich" not in quote for quote in result.quotes.values())
    # The text around the dropped quotation survives.
    assert result.text.startswith("Years ago I wrote")
    assert "That is still my view." in result.text


def test_near_verbatim_quote_is_repaired_to_the_real_sentence() -> None:
    near = ("I believe companies that depend on open source software have a responsibility "
            "to pay people who maintain it, in proportion to how much they depend on it.")
    assert near not in PLUMBING  # really a misquote: a hyphen and a "the" went missing
    result = run(f'As I put it, "{near}" [1] And I meant it.')
    assert f'"{REAL_PLUMBING}" [1]' in result.text
    assert near not in result.text
    assert result.repaired_quotes == 1
    assert result.dropped_quotes == 0
    assert result.quotes == {1: REAL_PLUMBING}
    assert result.cited == [1]


def test_verbatim_quote_with_the_wrong_number_is_reattributed() -> None:
    result = run(f'On cities I wrote "{REAL_CONGESTION}" [1] and I stand by it.')
    assert f'"{REAL_CONGESTION}" [2]' in result.text
    assert "[1]" not in result.text
    assert result.cited == [2]
    assert result.quotes == {2: REAL_CONGESTION}
    assert result.dropped_quotes == 0


def test_curly_quoted_title_is_not_a_misquote() -> None:
    text = ("In “Congestion Charging Is a Price, Not a Punishment” (2018) I made the boring "
            "economic case [2].")
    result = run(text)
    assert result.text == text
    assert result.dropped_quotes == 0
    assert result.repaired_quotes == 0
    assert result.cited == [2]


REPLY = (
    "STANCE aside, here is my view. I believe firms must pay [1][9]. In “Who Pays for the "
    f'Plumbing?” (2016) I wrote: "{REAL_PLUMBING}" [1] Later I claimed "{MISQUOTE}" [3]. '
    f'On cities, "{REAL_CONGESTION}" [1] and “Road space at rush hour is scarce, and we '
    "currently hand it out by queueing.” [2] A short “scare quote” stays, [2, 7] too.\n\n"
    "Nuclear? \"I opposed it for twenty years, and the reason I changed was arithmetic, not "
    "fashion.\" [3]\n\nRegards, Ada"
)


@pytest.mark.parametrize("step", [1, 2, 3, 5, 8, 13])
def test_streamed_in_pieces_gives_the_same_output_as_whole(step: int) -> None:
    whole = run(REPLY)
    # The reply exercises every path: kept, invented, dropped, re-attributed and repaired.
    assert whole.dropped_citations == 2
    assert whole.dropped_quotes == 1
    assert whole.repaired_quotes == 1
    assert f'"{REAL_CONGESTION}" [2]' in whole.text
    assert run(REPLY, step) == whole


def test_citation_inside_a_short_quoted_phrase_is_still_checked() -> None:
    """A scare-quoted phrase is not checked as a quote, but an [n] inside it is a citation."""
    result = run('I once called it "pure theft [9]" in a talk, and "budget line [1]" too.')
    assert "[9]" not in result.text
    assert result.dropped_citations == 1
    assert result.cited == [1]


def test_inch_mark_does_not_shift_quote_pairing_when_streamed() -> None:
    """A straight quote after a digit is an inch mark, whole or streamed one char at a time."""
    text = (f'I type on a 13"-screen laptop, and once I wrote "{MISQUOTE}" [1]. '
            "Fine.")
    whole = run(text)
    assert MISQUOTE not in whole.text
    assert whole.text.startswith('I type on a 13"-screen laptop, and once I wrote')
    streamed = run(text, 1)
    assert MISQUOTE not in streamed.text
    assert streamed == whole
