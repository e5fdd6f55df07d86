"""Date-filtered search: the dense side post-filters a wider beam, or lets Chroma filter.

With a candidate pool of a few chunks the sample blog (~100 chunks) is large enough for every
path of HybridSearcher._dense to be taken: the first beam holds enough in-range chunks, a
wider second beam is needed, or the range is so narrow that Chroma's own filter answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from knowledge.archive import Archive
from knowledge.metadata import date_to_int
from knowledge.post import Post
from knowledge.search import DENSE_WIDEN, HybridSearcher, SearchTuning, _date_where
from knowledge.store import ChunkStore
from tests.support.embedders import MemoEmbedder

CANDIDATES = 4
QUERY = "congestion charging for cars in the city"
# (since, until): wide, middling, until-only, one post, one day without posts, the future.
RANGES = [
    (date(2015, 1, 1), None),
    (date(2018, 1, 1), date(2020, 12, 31)),
    (None, date(2016, 12, 31)),
    (date(2020, 1, 20), date(2020, 1, 20)),
    (date(2019, 1, 1), date(2019, 1, 1)),
    (date(2030, 1, 1), None),
]
QUERIES = [QUERY, "open source maintainers and funding", "heat pumps and energy at home"]


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory, embedder: MemoEmbedder,
           sample_posts: list[Post]) -> Archive:
    """The sample blog searched with a pool far smaller than the index."""
    archive = Archive.open(tmp_path_factory.mktemp("date-filter") / "data", embedder=embedder,
                           tuning=SearchTuning(candidates=CANDIDATES))
    archive.ingest(sample_posts)
    assert archive.store.count() > 4 * CANDIDATES * DENSE_WIDEN
    return archive


@pytest.fixture
def searcher(narrow: Archive) -> HybridSearcher:
    """The archive's searcher (the dense candidates are not part of Archive's interface)."""
    return narrow._searcher


@pytest.fixture
def chroma_calls(narrow: Archive, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Record every nearest-neighbour query the store gets: (n, where)."""
    calls: list[Any] = []
    real = ChunkStore.nearest_ids

    def spy(self: ChunkStore, vector: Any, n: int,
            where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        calls.append((n, where))
        return real(self, vector, n, where)

    monkeypatch.setattr(ChunkStore, "nearest_ids", spy)
    yield calls


def _in(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


@pytest.mark.parametrize(("since", "until"), RANGES)
@pytest.mark.parametrize("query", QUERIES)
def test_dense_candidates_equal_chromas_filtered_query(
        narrow: Archive, searcher: HybridSearcher, query: str, since: date | None,
        until: date | None) -> None:
    vector = narrow.embedder.embed([query])[0]
    since_i, until_i = date_to_int(since), date_to_int(until)
    got, meta = searcher._dense(vector, CANDIDATES, since_i, until_i)
    expected = narrow.store.nearest_ids(vector, CANDIDATES, where=_date_where(since_i, until_i))
    assert [cid for cid, _pid, _sim in got] == [cid for cid, _sim in expected]
    assert [sim for _cid, _pid, sim in got] == pytest.approx([sim for _cid, sim in expected])
    for _cid, pid, _sim in got:
        assert _in(date.fromisoformat(str(meta[pid]["published"])), since, until)


def test_wide_range_needs_no_chroma_filter(narrow: Archive, searcher: HybridSearcher,
                                           chroma_calls: list[Any]) -> None:
    vector = narrow.embedder.embed([QUERY])[0]
    got, _meta = searcher._dense(vector, CANDIDATES, date_to_int(date(2015, 1, 1)), 0)
    assert len(got) == CANDIDATES
    assert chroma_calls == [(CANDIDATES * DENSE_WIDEN, None)]


def test_narrow_range_falls_back_to_chromas_filter(narrow: Archive, searcher: HybridSearcher,
                                                   chroma_calls: list[Any]) -> None:
    vector = narrow.embedder.embed([QUERY])[0]
    day = date_to_int(date(2020, 1, 20))
    got, meta = searcher._dense(vector, CANDIDATES, day, day)
    assert got and {meta[pid]["title"] for _c, pid, _s in got} == {
        "Grid Storage and the Dunkelflaute Problem"}
    assert chroma_calls[-1] == (CANDIDATES, _date_where(day, day))


def test_a_range_that_excludes_most_posts_still_finds_the_one_inside(
        narrow: Archive, by_title: dict[str, Post]) -> None:
    # Most of the archive is nearer to the query than the one post in range.
    day = date(2020, 1, 20)
    hits = narrow.search(QUERY, k=5, since=day, until=day, floor=False)
    assert [h.title for h in hits] == ["Grid Storage and the Dunkelflaute Problem"]
    assert hits[0].passages and hits[0].dense > 0

    late = by_title["Congestion Charging, Revisited"]
    hits = narrow.search(QUERY, k=5, since=late.published)
    assert hits and hits[0].post_id == late.id
    assert all(_in(h.published, late.published, None) for h in hits)

    hits = narrow.search(QUERY, k=5, since=date(2030, 1, 1), floor=False)
    assert hits == []


@pytest.mark.parametrize(("since", "until"), RANGES)
def test_every_hit_and_passage_lies_in_range(narrow: Archive, since: date | None,
                                             until: date | None) -> None:
    for query in QUERIES:
        hits = narrow.search(query, k=10, since=since, until=until, floor=False)
        assert all(_in(h.published, since, until) for h in hits)
        assert all(p.chunk_id.rsplit("#", 1)[0] == h.post_id for h in hits for p in h.passages)


def test_post_missing_from_keyword_metadata_is_read_from_chroma(
        narrow: Archive, by_title: dict[str, Post]) -> None:
    # A post written by another process since this one loaded its keyword index.
    post = by_title["Congestion Charging, Revisited"]
    before = [h.to_json() for h in narrow.search(QUERY, k=5, since=date(2024, 1, 1))]
    kept = narrow._keyword.meta.pop(post.id)
    try:
        after = [h.to_json() for h in narrow.search(QUERY, k=5, since=date(2024, 1, 1))]
    finally:
        narrow._keyword.meta[post.id] = kept
    assert after == before
    assert after[0]["post_id"] == post.id and after[0]["published"] == "2024-09-16"


def test_every_dense_path_is_taken(narrow: Archive, searcher: HybridSearcher,
                                   chroma_calls: list[Any]) -> None:
    # Guards the fixture: the equality test above must cover all three ways of filtering.
    paths = set()
    for query in QUERIES:
        vector = narrow.embedder.embed([query])[0]
        for since, until in RANGES:
            chroma_calls.clear()
            searcher._dense(vector, CANDIDATES, date_to_int(since), date_to_int(until))
            if chroma_calls[-1][1] is not None:
                paths.add("chroma filter")
            else:
                paths.add("first beam" if len(chroma_calls) == 1 else "wider beam")
    assert paths == {"first beam", "wider beam", "chroma filter"}
