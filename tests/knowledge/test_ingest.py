"""Idempotent ingestion: unchanged posts are free, changed ones replaced, removed ones vanish."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import knowledge.archive as archive_module
from knowledge.archive import Archive
from knowledge.chunking import chunk_id, chunk_post
from knowledge.post import Post
from knowledge.tokens import tokenize
from tests.knowledge.conftest import RARE_WORDS, OpenArchive
from tests.support.embedders import CountingEmbedder, FailingEmbedder, MemoEmbedder
from tests.support.sample import SAMPLE_POSTS


@pytest.fixture
def archive(tmp_path: Path, open_archive: OpenArchive, counting: CountingEmbedder,
            sample_posts: list[Post]) -> Archive:
    """A fresh archive holding the sample blog (first ingest checked on the way)."""
    archive = open_archive(tmp_path / "data", embedder_=counting)
    progress: list[tuple[int, int]] = []
    report = archive.ingest(sample_posts, progress=lambda done, total: progress.append(
        (done, total)))
    assert progress and progress[-1] == (SAMPLE_POSTS, SAMPLE_POSTS)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    expected_chunks = sum(len(chunk_post(p)) for p in sample_posts)
    assert (report.added, report.updated, report.unchanged, report.failed) == (
        SAMPLE_POSTS, 0, 0, [])
    assert report.chunks == expected_chunks
    assert len(counting.texts) == expected_chunks
    counting.reset()
    return archive


def chunks_of(archive: Archive, post_id: str) -> list[tuple[int, dict[str, Any]]]:
    return sorted((int(c.metadata["chunk_index"]), c.metadata)
                  for c in archive.store.chunks(where={"post_id": post_id}))


def assert_holds_exactly(archive: Archive, posts: list[Post]) -> None:
    """Chroma holds exactly the chunks of these posts, each once, under deterministic ids."""
    expected = {chunk_id(p.id, c.index): (p, c) for p in posts for c in chunk_post(p)}
    chunks = list(archive.store.chunks())
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(expected)
    assert archive.store.count() == len(expected)
    for c in chunks:
        post, chunk = expected[c.id]
        assert c.text == chunk.text
        assert c.metadata["post_id"] == post.id
        assert c.metadata["chunk_index"] == chunk.index
        assert c.metadata["chunk_count"] == len(chunk_post(post))
        assert c.metadata["content_hash"] == post.content_hash
    listed = [s.post_id for s in archive.posts()]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(p.id for p in posts)
    assert archive.count_posts() == len(posts)


def test_first_ingest_stores_every_chunk_once(archive: Archive,
                                              sample_posts: list[Post]) -> None:
    assert_holds_exactly(archive, sample_posts)


def test_unchanged_posts_are_skipped_without_embedding(
    archive: Archive, counting: CountingEmbedder, sample_posts: list[Post],
) -> None:
    before = archive.store.count()
    progress: list[tuple[int, int]] = []
    report = archive.ingest(sample_posts, progress=lambda done, total: progress.append(
        (done, total)))
    assert (report.added, report.updated, report.unchanged, report.chunks) == (
        0, 0, SAMPLE_POSTS, 0)
    assert progress[-1:] == [(SAMPLE_POSTS, SAMPLE_POSTS)]
    assert counting.calls == 0
    assert archive.store.count() == before
    # The same post given twice in one call is still one post.
    report = archive.ingest([*sample_posts, *reversed(sample_posts)])
    assert (report.added, report.updated, report.unchanged) == (0, 0, SAMPLE_POSTS)
    assert counting.calls == 0
    assert_holds_exactly(archive, sample_posts)


def test_changed_post_has_all_its_chunks_replaced(
    archive: Archive, counting: CountingEmbedder, sample_posts: list[Post],
    by_title: dict[str, Post],
) -> None:
    original = by_title[RARE_WORDS["Broodhuys"]]
    head, tail = original.text.split("\n\n", 1)
    changed = dataclasses.replace(original, text=head, content_hash="")
    new_count = len(chunk_post(changed))
    assert changed.content_hash != original.content_hash
    assert new_count < len(chunk_post(original))
    edited = [changed if p.id == original.id else p for p in sample_posts]

    report = archive.ingest(edited)
    assert (report.added, report.updated, report.unchanged) == (0, 1, SAMPLE_POSTS - 1)
    assert len(counting.texts) == new_count  # only the changed post is embedded
    mine = chunks_of(archive, original.id)
    assert [index for index, _ in mine] == list(range(new_count))
    assert all(m["content_hash"] == changed.content_hash for _, m in mine)
    assert all(m["chunk_count"] == new_count for _, m in mine)
    assert archive.post_text(original.id) == changed.text
    assert_holds_exactly(archive, edited)

    # BM25 forgot the dropped paragraphs: a word only they had no longer matches this post.
    dropped = _word_only_in(tail, original, sample_posts)
    assert dropped, "the test needs a word only the dropped paragraphs have"
    assert all(h.keyword == 0.0 for h in archive.search(dropped, k=30, floor=False)
               if h.post_id == original.id)
    hits = archive.search("Broodhuys", floor=False)
    assert hits[0].post_id == original.id
    assert hits[0].keyword > 0

    # Changing it back is again one update, and leaves exactly the original chunks.
    counting.reset()
    report = archive.ingest(sample_posts)
    assert (report.added, report.updated, report.unchanged) == (0, 1, SAMPLE_POSTS - 1)
    assert len(counting.texts) == len(chunk_post(original))
    assert_holds_exactly(archive, sample_posts)


def test_removed_post_leaves_nothing_and_readding_never_duplicates(
    archive: Archive, counting: CountingEmbedder, sample_posts: list[Post],
    by_title: dict[str, Post],
) -> None:
    gone = by_title[RARE_WORDS["Broodhuys"]]
    assert archive.search("Broodhuys", floor=False)[0].post_id == gone.id

    assert archive.remove([gone.id, "no-such-post"]) == 1
    assert archive.remove([gone.id]) == 0
    assert chunks_of(archive, gone.id) == []
    rest = [p for p in sample_posts if p.id != gone.id]
    assert_holds_exactly(archive, rest)
    hits = archive.search("Broodhuys", k=30, floor=False)
    assert all(h.post_id != gone.id for h in hits)
    assert all(h.keyword == 0.0 for h in hits)  # the word is in no other post
    assert archive.search("Broodhuys") == []

    counting.reset()
    report = archive.ingest(sample_posts)
    assert (report.added, report.updated, report.unchanged) == (1, 0, SAMPLE_POSTS - 1)
    assert len(counting.texts) == len(chunk_post(gone))
    report = archive.ingest(sample_posts)
    assert (report.added, report.updated, report.unchanged) == (0, 0, SAMPLE_POSTS)
    assert_holds_exactly(archive, sample_posts)
    hits = archive.search("Broodhuys", floor=False)
    assert [h.post_id for h in hits][:1] == [gone.id]
    assert hits[0].keyword > 0


def _word_only_in(text: str, post: Post, posts: list[Post]) -> str:
    """A word of `text` whose keyword token neither the rest of `post` nor other posts have."""
    kept = set(tokenize(post.title)) | set(tokenize(post.text.split("\n\n", 1)[0]))
    for p in posts:
        if p.id != post.id:
            kept |= set(tokenize(f"{p.title}\n{p.text}"))
    for word in text.split():
        tokens = tokenize(word)
        if len(tokens) == 1 and tokens[0] not in kept:
            return word.strip(".,;:!?\"'()")
    return ""


def test_an_encoder_failure_keeps_the_written_batches_and_a_rerun_completes(
        tmp_path: Path, open_archive: OpenArchive, embedder: MemoEmbedder,
        sample_posts: list[Post], monkeypatch: pytest.MonkeyPatch) -> None:
    # Batch n+1 is embedded while batch n is written: a failure in the third encoding must
    # still leave the first two batches whole, and nothing of the third.
    monkeypatch.setattr(archive_module, "BATCH_CHUNKS", 20)
    archive = open_archive(tmp_path / "data", embedder_=FailingEmbedder(embedder, fail_on=3))
    with pytest.raises(RuntimeError, match="encoder down"):
        archive.ingest(sample_posts)
    stored = {s.post_id for s in archive.posts()}
    assert 0 < len(stored) < SAMPLE_POSTS
    by_id = {p.id: p for p in sample_posts}
    assert_holds_exactly(archive, [by_id[pid] for pid in stored])

    counting = CountingEmbedder(embedder)
    again = open_archive(tmp_path / "data", embedder_=counting)
    report = again.ingest(sample_posts)
    assert (report.added, report.unchanged) == (SAMPLE_POSTS - len(stored), len(stored))
    assert len(counting.texts) == sum(len(chunk_post(p)) for p in sample_posts
                                      if p.id not in stored)
    assert_holds_exactly(again, sample_posts)
