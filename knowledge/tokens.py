"""The keyword tokenizer: lower-case words, English stop words dropped, Snowball-stemmed."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

# A short list: enough to keep postings small, short enough that names survive.
STOP_WORDS = frozenset(
    """
    a an and are as at be been but by can could did do does for from had has have he her his
    how i if in into is it its me my no not of on or our she so than that the their them then
    there these they this those to too was we were what when where which who whom why will
    with would you your
    """.split()
)

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def tokenize(text: str) -> list[str]:
    """Keyword tokens of a text, in order (stems of the non-stop words)."""
    return [stem for _word, stem in words_and_stems(text)]


def words_and_stems(text: str) -> list[tuple[str, str]]:
    """Each non-stop word of a text (lower-cased) with its keyword token, in order."""
    words = _WORD_RE.findall(text.lower().replace("’", "'"))
    return [(w.split("'")[0], _stem(w.split("'")[0])) for w in words if w not in STOP_WORDS]
