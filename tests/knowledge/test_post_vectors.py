"""Saved whole-post vectors: always the mean of the post's chunk vectors in Chroma (real Chroma)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge.archive import POST_VECTORS_DIR, Archive
from knowledge.chunking import chunk_post
from knowledge.post import Post
from knowledge.post_vectors import VECTORS_FILE, PostVectors, load_saved
from knowledge.search import HybridSearcher
from tests.knowledge.conftest import RARE_WORDS, OpenArchive
from tests.knowledge.cross_posts import cross_post, original
from tests.support.embedders import CountingEmbedder

QUERIES = ["Should cities charge cars to enter the centre?", "heat pump in an old house",
           "Is remote work good for teams?", "Broodhuys", "privacy of customer data"]


@pytest.fixture
def archive(tmp_path: Path, open_archive: OpenArchive, counting: CountingEmbedder,
            sample_posts: list[Post]) -> Archive:
    """A fresh archive holding the sample blog."""
    archive = open_archive(tmp_path / "data", embedder_=counting)
    archive.ingest(sample_posts)
    return archive


def saved(archive: Archive) -> dict[str, np.ndarray]:
    """The vectors in the archive's file, which must match Chroma's current generation."""
    got = load_saved(archive.keyword_dir.parent / POST_VECTORS_DIR)
    assert got is not None, "no post vectors were saved"
    ids, matrix, generation = got
    assert generation == archive.store.generation()
    return dict(zip(ids, matrix, strict=True))


def chunk_means(archive: Archive) -> dict[str, np.ndarray]:
    """Each stored post's mean chunk vector as a search computed it before: float32, from
    the vectors Chroma returns for the post, in its order."""
    heads = [str(head["post_id"]) for head in archive.store.heads()]
    out = {}
    for pid, vectors in archive.store.post_vectors(heads).items():
        mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
        out[pid] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    assert sorted(out) == sorted(heads)
    return out


def assert_saved_are_chunk_means(archive: Archive) -> None:
    got, want = saved(archive), chunk_means(archive)
    assert sorted(got) == sorted(want)
    for pid, vector in want.items():
        assert np.array_equal(got[pid], vector), pid


def fetched_results(archive: Archive, query: str) -> list[tuple[str, float]]:
    """Search as before saved vectors: every candidate's chunk vectors fetched from Chroma."""
    searcher = HybridSearcher(archive.store, archive.keyword_views(), archive.embedder,
                              post_vectors=PostVectors(archive.store))
    return [(h.post_id, h.score) for h in searcher.search(query, k=8, floor=False)]


def results(archive: Archive, query: str) -> list[tuple[str, float]]:
    return [(h.post_id, h.score) for h in archive.search(query, k=8, floor=False)]


def test_ingest_saves_each_posts_mean_chunk_vector(archive: Archive) -> None:
    assert_saved_are_chunk_means(archive)


def test_search_results_and_scores_equal_those_from_fetched_chunk_vectors(
        archive: Archive, tmp_path: Path, open_archive: OpenArchive) -> None:
    for query in QUERIES:
        assert results(archive, query) == fetched_results(archive, query), query
    reopened = open_archive(tmp_path / "data")  # loads the saved file instead
    for query in QUERIES:
        assert results(reopened, query) == fetched_results(archive, query), query


def test_removing_a_post_drops_its_vector(archive: Archive, by_title: dict[str, Post]) -> None:
    gone = by_title[RARE_WORDS["Fietsherstel"]]
    assert archive.remove([gone.id]) == 1
    assert gone.id not in saved(archive)
    assert_saved_are_chunk_means(archive)


def test_reingesting_a_changed_post_replaces_its_vector(
        archive: Archive, by_title: dict[str, Post]) -> None:
    post = by_title[RARE_WORDS["Broodhuys"]]
    before = saved(archive)[post.id]
    shorter = dataclasses.replace(post, text=post.text.split("\n\n", 1)[0], content_hash="")
    assert archive.ingest([shorter]).updated == 1
    assert not np.array_equal(saved(archive)[post.id], before)
    assert_saved_are_chunk_means(archive)


def test_a_group_moved_to_another_url_keeps_its_vector_under_the_new_id(
        archive: Archive, counting: CountingEmbedder) -> None:
    first, second = original(), cross_post()
    archive.ingest([first, second])
    vector = saved(archive)[first.id]
    counting.reset()
    assert archive.remove([first.id]) == 1  # the holder leaves: chunks move to the copy's id
    assert counting.calls == 0
    got = saved(archive)
    assert first.id not in got and np.array_equal(got[second.id], vector)
    assert_saved_are_chunk_means(archive)


def test_an_index_without_the_file_gets_it_from_chroma_at_the_next_write(
        archive: Archive, tmp_path: Path, open_archive: OpenArchive,
        counting: CountingEmbedder, sample_posts: list[Post]) -> None:
    expected = {q: results(archive, q) for q in QUERIES}
    folder = archive.keyword_dir.parent / POST_VECTORS_DIR
    shutil.rmtree(folder)  # as an index written before post vectors were saved
    older = open_archive(tmp_path / "data", embedder_=counting)
    assert not (folder / VECTORS_FILE).exists()  # opening builds nothing: it stays fast
    for query in QUERIES:  # meanwhile candidates' vectors come from Chroma, same results
        assert results(older, query) == expected[query], query
    counting.reset()
    new = dataclasses.replace(original(), id="https://example.org/new-post",
                              url="https://example.org/new-post")
    assert older.ingest([new]).added == 1
    assert len(counting.texts) == len(chunk_post(new))  # old posts are not embedded again
    assert_saved_are_chunk_means(older)
    assert len(saved(older)) == len(sample_posts) + 1
    for query in QUERIES:
        assert [pid for pid, _ in results(older, query)] == \
            [pid for pid, _ in fetched_results(older, query)]


def test_a_stale_or_damaged_file_is_not_trusted(
        archive: Archive, tmp_path: Path, open_archive: OpenArchive,
        by_title: dict[str, Post]) -> None:
    folder = archive.keyword_dir.parent / POST_VECTORS_DIR
    stale = (folder / VECTORS_FILE).read_bytes()
    archive.remove([by_title[RARE_WORDS["Nordvarme"]].id])
    (folder / VECTORS_FILE).write_bytes(stale)  # a file from before the removal
    reopened = open_archive(tmp_path / "data")
    assert results(reopened, "heat pump") == fetched_results(reopened, "heat pump")
    (folder / VECTORS_FILE).write_bytes(b"not a zip")
    again = open_archive(tmp_path / "data")
    assert again.remove([by_title[RARE_WORDS["Fietsherstel"]].id]) == 1
    assert_saved_are_chunk_means(again)


def test_another_archive_on_the_same_dir_reads_the_writers_vectors(
        archive: Archive, tmp_path: Path, open_archive: OpenArchive,
        by_title: dict[str, Post]) -> None:
    reader = open_archive(tmp_path / "data")
    post = by_title[RARE_WORDS["Ringheffing"]]
    changed = dataclasses.replace(post, text=post.text.split("\n\n", 1)[0], content_hash="")
    archive.ingest([changed])
    reader.keyword_views()  # notices the other writer's generation, as a search would
    for query in QUERIES:
        assert results(reader, query) == results(archive, query), query
    assert_saved_are_chunk_means(archive)
