"""`avatar check [--repair]`: every corruption is named with its fix, and repair restores search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from knowledge.archive import Archive
from knowledge.integrity import check, repair
from knowledge.post import Post
from knowledge.store_errors import ArchiveDamaged
from tests.archive.conftest import RARE_WORDS, OpenArchive
from tests.support.sample import SAMPLE_POSTS


@pytest.fixture
def data_dir(tmp_path: Path, open_archive: OpenArchive, sample_posts: list[Post]) -> Path:
    """A data dir holding the sample blog, its archive object dropped."""
    data = tmp_path / "data"
    assert open_archive(data).ingest(sample_posts).added == SAMPLE_POSTS
    return data


def _finds_every_rare_word(archive: Archive) -> bool:
    return all((hits := archive.search(word, floor=False)) and hits[0].title == title
               for word, title in RARE_WORDS.items())


def test_a_sound_archive_checks_ok(data_dir: Path, open_archive: OpenArchive) -> None:
    report = check(open_archive(data_dir))
    assert report.ok, report.problems
    assert (report.posts, report.keyword_posts, report.reach) == (SAMPLE_POSTS, SAMPLE_POSTS, 1.0)
    assert report.chunks == report.keyword_chunks


def test_a_keyword_index_short_of_posts_heals_on_the_next_read(
        data_dir: Path, open_archive: OpenArchive) -> None:
    archive = open_archive(data_dir)
    views = archive.keyword_views()
    gone = next(iter(views.meta))
    views.remove_posts([gone])  # as a lost update left it: vouched for, but short
    report = check(archive, probe=False)
    assert report.ok, report.problems  # its size no longer matched Chroma: rebuilt
    assert gone in archive.keyword_views().meta


def test_a_vector_index_that_reaches_few_chunks_is_reported_and_reembedded(
        data_dir: Path, open_archive: OpenArchive, monkeypatch: pytest.MonkeyPatch) -> None:
    # At test scale Chroma still holds every vector in its unflushed log, so deleting the
    # HNSW folder changes nothing here; the lost segment is simulated at the search call.
    archive = open_archive(data_dir)
    reachable = {c.id for i, c in enumerate(archive.store.chunks()) if i % 3 == 0}
    real = archive.store.nearest_ids
    monkeypatch.setattr(archive.store, "nearest_ids", lambda vector, n, where=None: [
        hit for hit in real(vector, n * 3, where) if hit[0] in reachable][:n])
    report = check(archive)
    assert not report.ok and report.reach < 0.5, report.to_json()
    assert any("HNSW" in p and str(data_dir / "chroma") in p and "--repair" in p
               for p in report.problems)
    monkeypatch.undo()
    done = repair(archive, report)
    assert any("re-embedded" in line for line in done)
    fixed = check(open_archive(data_dir))
    assert fixed.ok, fixed.problems
    assert _finds_every_rare_word(open_archive(data_dir))


def test_an_emptied_chroma_is_not_silently_zero_posts(
        data_dir: Path, open_archive: OpenArchive) -> None:
    archive = open_archive(data_dir)
    archive.store.delete_posts([p.post_id for p in archive.posts()])
    report = check(open_archive(data_dir))
    assert any(f"is empty but the saved keyword index held {SAMPLE_POSTS} posts" in p
               for p in report.problems), report.problems


def test_a_malformed_chroma_database_is_one_clear_error(
        data_dir: Path, open_archive: OpenArchive) -> None:
    database = data_dir / "chroma" / "chroma.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("DROP TABLE collections")
    with pytest.raises(ArchiveDamaged) as caught:
        open_archive(data_dir)
    message = str(caught.value)
    assert str(data_dir / "chroma") in message and "chroma.sqlite3" in message
    assert "backup" in message and "\n" not in message
