"""The floor judges the archive, not the vocabulary; paraphrases find their post."""

from __future__ import annotations

import pytest

from knowledge.archive import Archive
from knowledge.post import Post
from tests.support.embedders import MemoEmbedder

# Good questions carrying words the sample blog never uses (a misspelt name, a person the
# author never mentions) next to a rare word it does use.
UNKNOWN_WORDS = [
    ("Why did she cut up her Brodhuys bakery loyalty card?",
     "Data You Never Collect Cannot Leak"),
    ("What did Ada make of economist Mariana Mazzucato's take on the Ringheffing?",
     "Congestion Charging, Revisited"),
]
OUT_OF_ARCHIVE = ["What is her recipe for cinnamon buns?",
                  "Who won the Eurovision Song Contest in 2019?",
                  "Which antibiotic treats a strep throat in adults?"]
# Questions sharing no rare word with the post that answers them.
PARAPHRASES = [
    ("Can lithium cells carry a country through a dark windless week in winter?",
     "Grid Storage and the Dunkelflaute Problem"),
    ("Should kids study finished programs before making their own from scratch?",
     "Teach Children to Read Code Before They Write It"),
    ("How does she judge whether a city cares about people who finish work after midnight?",
     "The Night Bus Test"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, embedder: MemoEmbedder,
            sample_posts: list[Post]) -> Archive:
    """The sample blog, ingested once for this module."""
    archive = Archive.open(tmp_path_factory.mktemp("relevance") / "data", embedder=embedder)
    archive.ingest(sample_posts)
    return archive


@pytest.mark.parametrize(("query", "title"), UNKNOWN_WORDS)
def test_unknown_words_do_not_sink_a_good_query(archive: Archive, query: str,
                                                title: str) -> None:
    hits = archive.search(query)
    assert hits, f"{query!r} was declined: {archive.search(query, floor=False)[0]}"
    assert hits[0].title == title


@pytest.mark.parametrize("query", OUT_OF_ARCHIVE)
def test_out_of_archive_questions_still_decline(archive: Archive, query: str) -> None:
    assert archive.search(query) == []
    assert archive.search(query, floor=False)  # the best guesses stay available


@pytest.mark.parametrize(("query", "title"), PARAPHRASES)
def test_paraphrase_finds_its_post_first(archive: Archive, query: str, title: str) -> None:
    assert [h.title for h in archive.search(query, k=3)][:1] == [title]
