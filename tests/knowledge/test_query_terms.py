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


SHOP = _posts("The Broodhuys bakery card leaked every customer's address.",
              "The ferry to Vlieland was late again.",
              "The harbourman spoke to the harbourmen.")


def test_a_misspelt_name_is_searched_as_the_archive_spells_it() -> None:
    terms = query_terms("Why did she cut up her Brodhuys card?", SHOP)
    assert terms.respelled == (("brodhuy", "broodhuy"),)
    assert terms.unfamiliar == ()  # not held against the question as a missing subject
    assert "broodhuy" in terms.lexical_query("Why did she cut up her Brodhuys card?").split()
    hits = SHOP.search(terms.lexical_query("Brodhuys card"), 3)
    assert hits and hits[0][1] == "p0"


def test_only_a_close_and_unambiguous_spelling_is_guessed() -> None:
    assert query_terms("Is Kubernetes good?", SHOP).respelled == ()  # nothing near it
    assert query_terms("The Vliland ferry", SHOP).respelled == (("vliland", "vlieland"),)
    # Two edits from a short word is another word, not a typo.
    assert query_terms("The Vlilan ferry", SHOP).respelled == ()
    # One edit from two different archive words: a guess, so none.
    assert query_terms("Did the Harbourmin speak?", SHOP).respelled == ()
    # Only names are guessed at: an ordinary word one letter off another is often just
    # another word ("scooter", "shooter").
    assert query_terms("Was the ferry to vliland late?", SHOP).respelled == ()
