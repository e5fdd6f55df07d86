"""Content fingerprints: cross-posts match, a post quoting another and commenting does not."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

from knowledge.near_duplicates import JACCARD_MIN, Fingerprint, fingerprint, own_text
from knowledge.post import Post
from tests.knowledge.cross_posts import (
    COMMENT,
    TRAILER_2024,
    cross_post,
    original,
    quoting_post,
    retrailed,
)
from tests.support.sample import ROOT


def print_of(post: Post) -> Fingerprint:
    return fingerprint(own_text(post.text, post.spans))


def test_a_cross_post_is_a_near_duplicate_and_a_band_candidate() -> None:
    first, second = print_of(original()), print_of(cross_post())
    assert first.jaccard(second) >= JACCARD_MIN
    assert set(first.bands) & set(second.bands)
    assert first.duplicates(second) and second.duplicates(first)


def test_trailer_and_sign_off_are_left_out_of_the_fingerprint() -> None:
    post = original()
    assert TRAILER_2024 in post.text
    kept = own_text(post.text, post.spans)
    assert "Virtual Avatar" not in kept and "With regards" not in kept
    # Only the trailer differs, and it does not reach the shingles at all.
    assert print_of(original()).jaccard(print_of(retrailed())) == 1.0


def test_a_post_quoting_another_in_full_with_its_own_comment_is_not_a_duplicate() -> None:
    quoted, quoting = print_of(original()), print_of(quoting_post())
    similarity = quoted.jaccard(quoting)
    # The comment is about a third of the quote's length: far below the bar, and far from
    # the cross-post's score, so neither case sits near the threshold.
    assert similarity < JACCARD_MIN - 0.1
    assert print_of(original()).jaccard(print_of(cross_post())) > JACCARD_MIN + 0.05
    assert not quoted.duplicates(quoting)


def test_the_threshold_separates_a_short_comment_from_a_changed_trailer() -> None:
    base = original()
    # A comment worth about a ninth of the post is new content: kept apart.
    comment = " ".join(COMMENT.split()[:34])
    commented = Post(id="c", title="t", text=f"{base.text}\n\n{comment}")
    assert not print_of(base).duplicates(print_of(commented))
    # Two words changed in the body is an edit of the same post: grouped.
    edited = Post(id="e", title="t", text=base.text.replace("forty thousand", "40,000"))
    assert print_of(base).duplicates(print_of(edited))


def test_unrelated_sample_posts_never_match(sample_posts: list[Post]) -> None:
    prints = [print_of(p) for p in sample_posts]
    for a, b in itertools.combinations(prints, 2):
        assert a.jaccard(b) < 0.3


def test_band_keys_are_the_same_in_every_process() -> None:
    # Keys are saved in the index: a salted hash would make every new process miss.
    code = ("from tests.knowledge.cross_posts import original\n"
            "from tests.knowledge.test_near_duplicates import print_of\n"
            "print(' '.join(print_of(original()).bands))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout.split()
    assert tuple(out) == print_of(original()).bands
