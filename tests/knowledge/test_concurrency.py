"""One writer per archive, nothing lost: concurrent CLI writers and replicas converge."""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import date
from pathlib import Path

import pytest

import knowledge.archive
from knowledge.archive import Archive
from knowledge.post import Post, make_post_id
from tests.knowledge.conftest import VENV_BIN, OpenArchive, child_env, seed_models

pytestmark = pytest.mark.slow


def token(prefix: str, i: int) -> str:
    return f"{prefix}zq{i:03d}x"


def write_notes(folder: Path, prefix: str, n: int) -> list[str]:
    """n one-chunk markdown posts, each carrying its own unique word; returns the words."""
    folder.mkdir(parents=True)
    words = []
    for i in range(n):
        word = token(prefix, i)
        words.append(word)
        (folder / f"{prefix}-{i:03d}.md").write_text(
            f"---\ntitle: \"{prefix} note {i}\"\ndate: 2020-01-{1 + i % 28:02d}\n---\n\n"
            f"A short note about harbours and bridges, number {i}. The word {word} is here.\n",
            encoding="utf-8")
    return words


def test_two_cli_ingests_into_one_data_dir_lose_nothing(
        tmp_path: Path, model_dir: Path, open_archive: OpenArchive) -> None:
    data_dir = tmp_path / "data"
    seed_models(data_dir, model_dir)
    left = write_notes(tmp_path / "left", "left", 40)
    right = write_notes(tmp_path / "right", "right", 40)
    runs = [subprocess.Popen([str(VENV_BIN / "avatar"), "ingest", str(tmp_path / side),
                              "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=tmp_path, env=child_env(AVATAR_DATA_DIR=str(data_dir)))
            for side in ("left", "right")]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        assert '"added": 40' in out, out
    archive = open_archive(data_dir)
    assert archive.count_posts() == 80
    keyword_posts = set(archive._keyword.meta)  # the posts BM25 can find
    assert len(keyword_posts) == 80, f"keyword index holds {len(keyword_posts)} of 80 posts"
    for word in (*left, *right):
        hits = archive.search(word, k=1, floor=False)
        assert hits and hits[0].keyword > 0, f"{word} is not found by keyword"


def _note(prefix: str, i: int) -> Post:
    word = token(prefix, i)
    url = f"https://ada.example/{prefix}/{i}"
    return Post(id=make_post_id(url=url), url=url, title=f"{prefix} note {i}",
                text=f"A note about winter cycling, number {i}. The word {word} is here.",
                published=date(2021, 3, 1 + i % 28), source="replica-test")


def test_replicas_on_one_chroma_server_converge_within_seconds(
        tmp_path: Path, own_chroma_server: str, open_archive: OpenArchive,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge.archive, "KEYWORD_RECHECK_SECONDS", 0.5)
    a = open_archive(tmp_path / "replica-a", chroma_url=own_chroma_server)
    b = open_archive(tmp_path / "replica-b", chroma_url=own_chroma_server)
    posts = {"repa": [_note("repa", i) for i in range(25)],
             "repb": [_note("repb", i) for i in range(25)]}

    def add_one_by_one(archive: Archive, batch: list[Post]) -> None:
        for post in batch:
            archive.ingest([post])

    writers = [threading.Thread(target=add_one_by_one, args=(a, posts["repa"])),
               threading.Thread(target=add_one_by_one, args=(b, posts["repb"]))]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=300)
    written = time.monotonic()
    words = [token(p, i) for p in posts for i in range(25)]
    missing: dict[str, list[str]] = {}
    while True:
        missing = {name: [w for w in words if not _by_keyword(archive, w)]
                   for name, archive in (("a", a), ("b", b))}
        if not any(missing.values()) or time.monotonic() - written > 30:
            break
        time.sleep(0.2)
    converged = time.monotonic() - written
    assert not any(missing.values()), f"not found by keyword after 30 s: {missing}"
    print(f"replicas converged {converged:.1f} s after the last of 50 concurrent adds")
    for archive in (a, b):
        assert archive.count_posts() == 50
        # By meaning too: the vectors live in the server, shared at once.
        hits = archive.search("winter cycling note", k=50, floor=False)
        assert len({h.post_id for h in hits}) == 50
    # A restart trusts nothing partial either.
    again = open_archive(tmp_path / "replica-b", chroma_url=own_chroma_server)
    assert len(again._keyword.meta) == 50


def _by_keyword(archive: Archive, word: str) -> bool:
    hits = archive.search(word, k=1, floor=False)
    return bool(hits) and hits[0].keyword > 0 and word in archive.post_text(hits[0].post_id)
