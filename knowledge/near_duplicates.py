"""Content fingerprints of posts: word shingles, MinHash bands to find candidates, exact Jaccard.

Two posts are near-duplicates when the 5-word shingles of their texts (sign-off and trailer
lines left out) have a Jaccard similarity of at least JACCARD_MIN. Candidates are found by
locality-sensitive hashing (16 bands of 8 MinHash rows), so looking a post up costs a few
dictionary probes whatever the archive's size; only candidates get the exact check.

Why 0.9: a cross-post differs from its twin in title, whitespace, trailer and date, none of
which reach the shingles, so twins score ~1.0. A later post that quotes an earlier one in
full and adds a comment of its own scores |old| / |old + comment|: a comment worth one ninth
of the quote already puts it below 0.9, and that is his new content, kept as its own post.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from knowledge.speakers import Span

SHINGLE_WORDS = 5
JACCARD_MIN = 0.9
BANDS = 16
ROWS = 8  # P(candidate) = 1 - (1 - J**8)**16: 0.9999 at J=0.9, 0.95 at 0.8, 0.06 at 0.5
PERMUTATIONS = BANDS * ROWS  # bins of the one-permutation MinHash

_WORD_RE = re.compile(r"\w+")
# Fixed constants: band keys are stored in the index, so every process must hash alike.
_WORD_MULT = np.uint64(0x9E3779B97F4A7C15)
_SEED = np.uint64(0x5DEECE66D2026120)
_BIN_BITS = 7  # 2**7 == PERMUTATIONS bins
_VALUE_MASK = np.uint64((1 << (64 - _BIN_BITS)) - 1)
_VALUE_STEP = np.uint64(1 << (64 - _BIN_BITS))
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Fingerprint:
    """A text's shingle hashes (sorted, unique) and its LSH band keys."""

    shingles: np.ndarray
    bands: tuple[str, ...]

    def jaccard(self, other: Fingerprint) -> float:
        """Exact Jaccard similarity of the two shingle sets (0 when either has no words)."""
        if not len(self.shingles) or not len(other.shingles):
            return 0.0  # nothing to compare: two wordless posts are not the same post
        common = len(np.intersect1d(self.shingles, other.shingles, assume_unique=True))
        return common / (len(self.shingles) + len(other.shingles) - common)

    def duplicates(self, other: Fingerprint) -> bool:
        """Whether the two texts are near-duplicates (Jaccard at least JACCARD_MIN)."""
        return self.jaccard(other) >= JACCARD_MIN


def own_text(text: str, spans: Iterable[Span]) -> str:
    """The text without its sign-off and trailer lines (they differ between cross-posts)."""
    kept = " ".join(text[s.start : s.end] for s in spans if s.speaker != "signoff")
    return kept if kept.strip() else text


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of a (sign-off free) text: case, punctuation and spacing ignored."""
    shingles = shingle_hashes(text)
    return Fingerprint(shingles, band_keys(minhash(shingles)))


def shingle_hashes(text: str) -> np.ndarray:
    """Stable 64-bit hashes of the text's overlapping 5-word shingles, sorted and unique."""
    words = _WORD_RE.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    # crc32 per word is stable across processes (str hashes are salted) and fast in C;
    # five of them mixed into 64 bits make shingle collisions negligible.
    ids = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64,
                      count=len(words))
    width = min(SHINGLE_WORDS, len(ids))
    combined = np.zeros(len(ids) - width + 1, dtype=np.uint64)
    for offset in range(width):  # a polynomial hash of the window, wrapping at 2**64
        combined = combined * _WORD_MULT + ids[offset : offset + len(combined)]
    return _sorted_unique(_mix(combined))


def minhash(shingles: np.ndarray) -> np.ndarray:
    """A one-permutation MinHash signature: the least hash in each of PERMUTATIONS bins.

    One hash per shingle instead of one per shingle and permutation (128x less work); an
    empty bin (short texts) borrows the next filled bin's value, shifted so it stays
    distinct, which keeps similar texts' signatures alike (rotation densification).
    """
    signature = np.full(PERMUTATIONS, _EMPTY, dtype=np.uint64)
    if not len(shingles):
        return signature
    # The bin is a hash's top bits, so sorted hashes run bin by bin, least first in each.
    hashed = np.sort(_mix(shingles ^ _SEED))
    bins = (hashed >> np.uint64(64 - _BIN_BITS)).astype(np.intp)
    starts = np.flatnonzero(np.concatenate(([True], bins[1:] != bins[:-1])))
    signature[bins[starts]] = hashed[starts] & _VALUE_MASK
    filled = np.flatnonzero(signature != _EMPTY)
    empty = np.flatnonzero(signature == _EMPTY)
    if len(empty):
        # The next filled bin to the right (wrapping round), and how far away it is.
        nxt = np.searchsorted(filled, empty) % len(filled)
        distance = (filled[nxt] - empty) % PERMUTATIONS
        signature[empty] = signature[filled[nxt]] + distance.astype(np.uint64) * _VALUE_STEP
    return signature


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique for one flat array, without its overhead (it runs once per post)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64's) so that nearby inputs spread over all bits."""
    x = values ^ (values >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def band_keys(signature: np.ndarray) -> tuple[str, ...]:
    """One key per band: texts sharing any key are candidate near-duplicates."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(rows, digest_size=8, person=band.to_bytes(2, "little"))
        keys.append(digest.hexdigest())
    return tuple(keys)
