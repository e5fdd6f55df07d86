"""What the archive knows of a query's words: rare, common, unknown, and unfamiliar."""

from __future__ import annotations

from knowledge.keyword_index import KeywordDoc, KeywordIndex
from knowledge.query_terms import query_terms, without_unknown


def _posts(*texts: str) -> KeywordIndex:
    index = KeywordIndex()
    index.add(KeywordDoc(f"c{i}", f"p{i}", 0, text) for i, text in enumerate(texts))
    return index


POSTS = _posts(*[f"Cycling to work over the bridge, day {i}." for i in range(20)],
               "Harari wrote a book about the history of people.")


def test_terms_split_by_how_many_posts_hold_them() -> None:
    terms = query_terms("Does Harari like cycling over Kubernetes?", POSTS)
    assert terms.rare == ("harari",)
    assert "cycl" in terms.common
    assert set(terms.unknown) == {"like", "kubernet"}


def test_an_everyday_word_the_blog_never_used_is_unknown_but_not_unfamiliar() -> None:
    terms = query_terms("Do apartment buildings share Kubernetes clusters?", POSTS)
    assert {"apart", "build", "share", "kubernet", "cluster"} <= set(terms.unknown)
    assert terms.unfamiliar == ("kubernet",)  # jargon the archive lacks, not "apartment"


def test_unknown_first_names_are_dropped_when_a_known_rare_word_carries_the_query() -> None:
    query = "Yuval Noah Harari book about the history"
    assert without_unknown(query, query_terms(query, POSTS)) == "Harari book about the history"
