"""Hybrid search over the sample blog: exact words, meaning, dates, the floor, grouping."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.archive import Archive
from knowledge.post import Post
from tests.knowledge.conftest import RARE_WORDS
from tests.support.embedders import MemoEmbedder
from tests.support.sample import SAMPLE_POSTS

OPEN_SOURCE_FUNDING = {"Who Pays for the Plumbing?", "Boring Software Deserves a Budget"}
CONGESTION = {"Congestion Charging Is a Price, Not a Punishment",
              "Congestion Charging, Revisited"}

# Questions that share none of the rare words of the posts they should find.
PARAPHRASES = [
    ("should firms that rely on free libraries fund the people who maintain them?",
     OPEN_SOURCE_FUNDING),
    ("is it fair to charge drivers to enter the city centre?", CONGESTION),
    ("can a pensioner pick up programming late in life?",
     {"My Mother Learned Python at Sixty-Eight"}),
    ("are app store commissions an abuse of dominance?", {"A Thirty Percent Toll Booth"}),
]
OFF_TOPIC = ["best lasagna recipe with ricotta", "how do I get red wine out of a carpet?"]
BROAD = ["work", "energy policy", "software", "cities and public transport", "privacy law"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, embedder: MemoEmbedder,
            sample_posts: list[Post]) -> Archive:
    """The sample blog, ingested once for every search test of this module."""
    archive = Archive.open(tmp_path_factory.mktemp("search") / "data", embedder=embedder)
    report = archive.ingest(sample_posts)
    assert report.added == SAMPLE_POSTS
    return archive


@pytest.mark.parametrize("word", sorted(RARE_WORDS))
def test_rare_keyword_finds_its_post_first(archive: Archive, word: str) -> None:
    unfloored = archive.search(word, floor=False)
    assert unfloored[0].title == RARE_WORDS[word]
    assert unfloored[0].keyword > 0
    # An exact term the author used is an answer, not silence: the floor must keep it.
    hits = archive.search(word)
    assert hits, (f"{word!r} occurs in {RARE_WORDS[word]!r} but the relevance floor silenced "
                  f"it (keyword share {unfloored[0].keyword:.3f}, dense {unfloored[0].dense:.3f})")
    assert hits[0].title == RARE_WORDS[word]
    # Case does not matter to the keyword side.
    assert archive.search(word.lower(), floor=False)[0].title == RARE_WORDS[word]


@pytest.mark.parametrize(("query", "titles"), PARAPHRASES)
def test_paraphrase_finds_the_post_in_the_top_three(archive: Archive, query: str,
                                                    titles: set[str]) -> None:
    top = [h.title for h in archive.search(query, k=3)]
    assert titles & set(top), f"{query!r} gave {top}"


def test_date_filters_exclude_posts_outside_the_range(archive: Archive,
                                                      by_title: dict[str, Post]) -> None:
    query = "congestion charging for cars in the city"
    early, late = (by_title["Congestion Charging Is a Price, Not a Punishment"],
                   by_title["Congestion Charging, Revisited"])
    assert {early.id, late.id} <= {h.post_id for h in archive.search(query, k=10)}

    until = date(2019, 12, 31)
    hits = archive.search(query, k=10, until=until)
    assert hits and hits[0].post_id == early.id
    assert all(h.published and h.published <= until for h in hits)

    since = date(2020, 1, 1)
    hits = archive.search(query, k=10, since=since)
    assert hits and hits[0].post_id == late.id
    assert all(h.published and h.published >= since for h in hits)

    since, until = date(2016, 1, 1), date(2018, 12, 31)
    hits = archive.search(query, k=10, since=since, until=until, floor=False)
    assert hits
    assert all(h.published and since <= h.published <= until for h in hits)
    assert early.id in {h.post_id for h in hits}

    # A rare word outside the range does not bring its post back, not even by keyword.
    hits = archive.search("Ringheffing", k=30, until=date(2020, 1, 1), floor=False)
    assert all(h.title != RARE_WORDS["Ringheffing"] for h in hits)
    assert all(h.keyword == 0.0 for h in hits)


def test_tag_filter_keeps_only_tagged_posts(archive: Archive) -> None:
    hits = archive.search("privacy and personal data", k=10, tags=("Privacy",), floor=False)
    assert hits
    assert all("privacy" in {t.lower() for t in h.tags} for h in hits)


@pytest.mark.parametrize("query", OFF_TOPIC)
def test_off_topic_query_is_silent_with_the_floor_on(archive: Archive, query: str) -> None:
    assert archive.search(query) == []
    # The floor is what silences it: without it the best guesses come back.
    assert archive.search(query, floor=False)


@pytest.mark.parametrize("query", BROAD)
def test_results_are_grouped_by_post_and_k_is_respected(archive: Archive, query: str) -> None:
    for k in (1, 3, 10):
        hits = archive.search(query, k=k, floor=False)
        ids = [h.post_id for h in hits]
        assert len(ids) == len(set(ids))
        assert len(hits) == k
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_passages_are_verbatim_text_of_their_post(archive: Archive,
                                                  sample_posts: list[Post]) -> None:
    text_of = {p.id: p.text for p in sample_posts}
    not_verbatim: list[str] = []
    for query in [*BROAD, *sorted(RARE_WORDS), *(q for q, _ in PARAPHRASES)]:
        hits = archive.search(query, k=10, floor=False)
        assert hits
        for hit in hits:
            assert hit.passages, f"{hit.title} came back without a passage"
            for passage in hit.passages:
                if passage.text not in text_of[hit.post_id]:
                    not_verbatim.append(f"{passage.chunk_id}: {passage.text[:90]!r}")
            snippet = hit.snippet.removesuffix("…")
            assert snippet and snippet in hit.passages[0].text
    assert sorted(set(not_verbatim)) == []


def test_post_text_gives_back_the_post(archive: Archive, sample_posts: list[Post]) -> None:
    wrong = [p.title for p in sample_posts if archive.post_text(p.id) != p.text]
    assert wrong == []


def test_search_hit_json_has_the_design_keys(archive: Archive, by_title: dict[str, Post]) -> None:
    hit = archive.search("Fietsherstel", floor=False)[0]
    post = by_title[RARE_WORDS["Fietsherstel"]]
    data = hit.to_json()
    assert set(data) == {"post_id", "title", "url", "urls", "source", "published", "score",
                         "snippet"}
    assert data["post_id"] == post.id
    assert data["url"] == post.url and data["urls"] == [post.url]
    assert data["source"] == post.source
    assert data["published"] == "2015-08-31"
    assert isinstance(data["score"], float) and data["score"] > 0
    assert data["snippet"] and data["snippet"] == hit.snippet


def test_a_query_no_chunk_covers_by_words_leans_on_meaning() -> None:
    from knowledge.search import SearchTuning

    tuning = SearchTuning()
    assert tuning.dense_weight_for(0.2) == tuning.paraphrase_dense_weight > tuning.dense_weight
    assert tuning.dense_weight_for(0.9) == tuning.dense_weight
    # The switch is a setting: equal weights turn it off.
    off = SearchTuning(paraphrase_dense_weight=1.0)
    assert off.dense_weight_for(0.0) == off.dense_weight_for(1.0) == 1.0
