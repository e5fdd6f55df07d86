"""Server mode: the archive on a real `chroma run`, shared by two machines' data dirs."""

from __future__ import annotations

from pathlib import Path

from knowledge.chunking import chunk_post
from knowledge.post import Post
from tests.knowledge.conftest import RARE_WORDS, OpenArchive
from tests.support.sample import SAMPLE_POSTS


def test_archive_on_a_chroma_server_is_shared_across_data_dirs(
    tmp_path: Path, chroma_server: str, open_archive: OpenArchive,
    sample_posts: list[Post], by_title: dict[str, Post],
) -> None:
    first = open_archive(tmp_path / "machine-a", chroma_url=chroma_server)
    assert not (tmp_path / "machine-a" / "chroma").exists()  # nothing embedded on disk
    report = first.ingest(sample_posts)
    assert (report.added, report.failed) == (SAMPLE_POSTS, [])
    total = sum(len(chunk_post(p)) for p in sample_posts)
    assert first.store.count() == total
    assert first.ingest(sample_posts).unchanged == SAMPLE_POSTS

    hits = first.search("Fietsherstel", floor=False)
    assert hits[0].title == RARE_WORDS["Fietsherstel"]
    assert hits[0].keyword > 0

    gone = by_title[RARE_WORDS["Broodhuys"]]
    assert first.remove([gone.id]) == 1
    assert first.count_posts() == SAMPLE_POSTS - 1
    assert all(h.post_id != gone.id for h in first.search("Broodhuys", k=30, floor=False))

    # Another machine: its own (empty) data dir, the same server.
    second = open_archive(tmp_path / "machine-b", chroma_url=chroma_server)
    assert second.count_posts() == SAMPLE_POSTS - 1
    assert second.store.count() == total - len(chunk_post(gone))
    assert {p.post_id for p in second.posts()} == {p.id for p in sample_posts} - {gone.id}
    for word in ("Fietsherstel", "Ringheffing", "Nordvarme"):
        hits = second.search(word, floor=False)
        assert hits and hits[0].title == RARE_WORDS[word]
        assert hits[0].keyword > 0, f"{word!r} found by meaning only: BM25 was not rebuilt"
    assert all(h.post_id != gone.id for h in second.search("Broodhuys", k=30, floor=False))

    # Its writes are the first machine's too (re-adding never duplicates).
    report = second.ingest(sample_posts)
    assert (report.added, report.unchanged) == (1, SAMPLE_POSTS - 1)
    third = open_archive(tmp_path / "machine-a", chroma_url=chroma_server)
    assert third.count_posts() == SAMPLE_POSTS
    assert third.store.count() == total
    hits = third.search("Broodhuys", floor=False)
    assert hits and hits[0].post_id == gone.id and hits[0].keyword > 0
