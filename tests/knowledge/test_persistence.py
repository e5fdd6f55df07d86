"""The BM25 side survives restarts, repairs itself from Chroma, and follows other writers."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import knowledge.archive
from knowledge.archive import Archive
from knowledge.post import Post
from tests.knowledge.conftest import RARE_WORDS, OpenArchive
from tests.support.sample import SAMPLE_POSTS

QUERIES = [*sorted(RARE_WORDS), "is it fair to charge drivers to enter the city centre?",
           "heat pumps in old houses", "learning to program"]


def rebuilt(caplog: pytest.LogCaptureFixture) -> bool:
    """Whether opening an archive logged that it rebuilt the keyword index from Chroma."""
    return any("rebuild" in r.getMessage().lower() for r in caplog.records)


def results(archive: Archive) -> list[list[tuple[str, float]]]:
    return [[(h.post_id, round(h.keyword, 6)) for h in archive.search(q, k=5, floor=False)]
            for q in QUERIES]


@pytest.fixture
def data_dir(tmp_path: Path, open_archive: OpenArchive, sample_posts: list[Post]) -> Path:
    """A data dir holding the sample blog, its archive object dropped."""
    data = tmp_path / "data"
    assert open_archive(data).ingest(sample_posts).added == SAMPLE_POSTS
    return data


def test_reopened_archive_loads_bm25_from_disk_and_answers_the_same(
    tmp_path: Path, open_archive: OpenArchive, sample_posts: list[Post],
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = tmp_path / "data"
    first = open_archive(data)
    first.ingest(sample_posts)
    before = results(first)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        second = open_archive(data)
    assert not rebuilt(caplog), "a fresh keyword index on disk was rebuilt anyway"
    assert second.count_posts() == SAMPLE_POSTS
    assert results(second) == before
    for word, title in RARE_WORDS.items():
        hit = second.search(word, floor=False)[0]
        assert (hit.title, hit.keyword > 0) == (title, True)


def _delete_keyword_dir(keyword: Path) -> None:
    shutil.rmtree(keyword)


def _garble_state(keyword: Path) -> None:
    states = list(keyword.rglob("state.json"))
    assert states
    for state in states:
        state.write_text("{not json")


def _truncate_matrix(keyword: Path) -> None:
    matrices = list(keyword.rglob("*.npz"))
    assert matrices
    for matrix in matrices:
        data = matrix.read_bytes()
        matrix.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [_delete_keyword_dir, _garble_state, _truncate_matrix],
                         ids=["keyword-dir-deleted", "state-json-garbled", "npz-truncated"])
def test_lost_or_damaged_bm25_is_rebuilt_from_chroma(
    data_dir: Path, open_archive: OpenArchive, caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
) -> None:
    keyword = data_dir / "keyword"
    assert keyword.is_dir()
    damage(keyword)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        archive = open_archive(data_dir)
    assert rebuilt(caplog)
    for word, title in RARE_WORDS.items():
        hits = archive.search(word, floor=False)
        assert hits and hits[0].title == title
        assert hits[0].keyword > 0, f"{word!r} was found by meaning only, not by BM25"
    # The next write saves a sound index again: a later open loads it without rebuilding.
    assert archive.remove([archive.search("Broodhuys", floor=False)[0].post_id]) == 1
    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = open_archive(data_dir)
    assert not rebuilt(caplog)
    assert again.count_posts() == SAMPLE_POSTS - 1
    assert again.search("Fietsherstel", floor=False)[0].keyword > 0


def test_second_archive_object_picks_up_writes_of_the_first(
    data_dir: Path, open_archive: OpenArchive, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(knowledge.archive, "KEYWORD_RECHECK_SECONDS", 0)
    writer = open_archive(data_dir)
    reader = open_archive(data_dir)
    assert all(h.keyword == 0.0 for h in reader.search("Quillonbrae", floor=False))

    new = Post(
        id="https://ada-lindqvist.example/2026/02/a-new-post.html",
        title="Notes From a Ferry Crossing",
        text=("The morning ferry to the island was late again. I spent the crossing reading "
              "about the Quillonbrae lighthouse, which the province wants to sell.\n\n"
              "Public assets are easy to sell and hard to buy back. Regards, Ada"),
        url="https://ada-lindqvist.example/2026/02/a-new-post.html",
    )
    assert writer.ingest([new]).added == 1
    hits = reader.search("Quillonbrae", floor=False)
    assert hits and hits[0].post_id == new.id
    assert hits[0].keyword > 0, "the other archive found the new post by meaning only, not BM25"

    assert writer.remove([new.id]) == 1
    assert all(h.post_id != new.id for h in reader.search("Quillonbrae", k=30, floor=False))
    assert reader.count_posts() == SAMPLE_POSTS
