"""The synthetic archive has the real author's length distribution, shapes and cross-posts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmarks.synthetic_archive import (
    AUTHOR,
    BLOGS,
    LENGTHS,
    LengthModel,
    load_sentences,
    synthetic_archive,
    word_counts,
)

# Our own sentences (never the real author's, never the evaluation essays).
SENTENCES = [
    f"The {noun} of the {place} was {adj} and everyone in town talked about it for days."
    for noun in ("market", "bridge", "garden", "railway", "library", "harbour")
    for place in ("north", "river", "old quarter", "hills")
    for adj in ("busy", "quiet", "new", "broken", "famous")
]


def test_lengths_follow_the_documented_mixture() -> None:
    words = LENGTHS.sample(np.random.default_rng(1), 40_000)
    assert words.min() >= LENGTHS.min_words and words.max() <= LENGTHS.max_words
    # "Many are 300-1,200 words": about half of all posts, with a quarter short notes.
    assert 0.45 <= float(((words >= 300) & (words <= 1200)).mean()) <= 0.56
    assert 0.20 <= float((words < 200).mean()) <= 0.30
    assert 450 <= float(np.median(words)) <= 560
    # Mean ~690 words: at 150-word chunks overlapping by 25, ~6-7 chunks a post, as
    # DESIGN.md's ~30k posts / ~200k chunks implies.
    assert 640 <= float(words.mean()) <= 740
    assert 0.02 <= float((words > 2500).mean()) <= 0.06  # several thousand words, now and then


def test_a_length_model_without_short_notes_has_its_body_median() -> None:
    words = LengthModel(short_share=0.0).sample(np.random.default_rng(2), 20_000)
    assert abs(float(np.median(words)) - LENGTHS.body_median) < 25


def test_posts_get_their_lengths_shapes_and_cross_posts() -> None:
    posts = synthetic_archive(SENTENCES, 400, seed=3)
    assert len(posts) == 400 and len({p.id for p in posts}) == 400
    copies = [p for p in posts if p.url.startswith(BLOGS[1])]
    assert len(copies) == 40  # 10% cross-posted to the second blog
    originals = {p.text: p for p in posts if p.url.startswith(BLOGS[0])}
    for copy in copies:
        original = originals[copy.text]  # the same text under another URL, days later
        assert copy.url != original.url and copy.title == original.title
        assert copy.published and original.published
        assert 0 <= (copy.published - original.published).days <= 5
    words = word_counts(posts)
    assert 300 <= float(np.median(words)) <= 650
    assert all(f"{AUTHOR.lower()} (" in p.text for p in posts)  # his sign-off shape
    assert any(" reports :" in p.text and "My take :" in p.text for p in posts)
    assert any(p.text.startswith("Dear ") for p in posts)


def test_the_same_seed_gives_the_same_archive() -> None:
    first = synthetic_archive(SENTENCES, 50, seed=5)
    again = synthetic_archive(SENTENCES, 50, seed=5)
    other = synthetic_archive(SENTENCES, 50, seed=6)
    assert [p.content_hash for p in first] == [p.content_hash for p in again]
    assert [p.content_hash for p in first] != [p.content_hash for p in other]


def test_sentences_are_read_from_the_essays_without_their_header(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Written by Someone Else\n\nA Title Long Enough To Count\n\nMay 2020\n\n"
        "This first sentence has enough words. Too short. "
        "And this second sentence has enough words too.\n")
    sentences = load_sentences(tmp_path)
    assert sentences == ["This first sentence has enough words.",
                         "And this second sentence has enough words too."]
