"""Damaged keyword files never crash a process: each is noticed, named and rebuilt from Chroma."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from knowledge.post import Post
from tests.knowledge.conftest import RARE_WORDS, OpenArchive, child_env
from tests.support.sample import ROOT, SAMPLE_POSTS

CHILD = """
import sys
from pathlib import Path
from knowledge.archive import Archive
from knowledge.embedding import load_embedder

archive = Archive.open(Path(sys.argv[1]), embedder=load_embedder("minilm-int8", Path(sys.argv[2])))
for word in sys.argv[3:]:
    hits = archive.search(word, floor=False)
    print(word, hits[0].title if hits else "-", hits[0].keyword > 0 if hits else False)
"""


@pytest.fixture
def data_dir(tmp_path: Path, open_archive: OpenArchive, sample_posts: list[Post]) -> Path:
    """A data dir holding the sample blog, its archive object dropped."""
    data = tmp_path / "data"
    assert open_archive(data).ingest(sample_posts).added == SAMPLE_POSTS
    return data


def _files(data_dir: Path, name: str) -> list[Path]:
    found = sorted((data_dir / "keyword").rglob(name))
    assert found, name
    return found


def _mixed_vocabulary(data_dir: Path) -> None:
    # Two writers replacing files one at a time: the chunk index ends with the post
    # index's vocabulary (another width, other columns).
    chunks = next(p for p in _files(data_dir, "vocab.json") if p.parent.name == "chunks")
    posts = next(p for p in _files(data_dir, "vocab.json") if p.parent.name == "posts")
    vocab = json.loads(chunks.read_text())
    extra = {f"zzextra{i}": len(vocab) + i for i in range(5000)}
    chunks.write_text(json.dumps({**vocab, **extra}))
    posts.write_text(json.dumps({term: col * 7 for term, col in vocab.items()}))


def _short_arrays(data_dir: Path) -> None:
    for path in _files(data_dir, "arrays.npz"):
        arrays = dict(np.load(path))
        np.savez(path, **{k: v[: len(v) // 2] for k, v in arrays.items()})


def _short_rows(data_dir: Path) -> None:
    for path in _files(data_dir, "rows.json"):
        rows = json.loads(path.read_text())
        path.write_text(json.dumps({k: v[:-3] for k, v in rows.items()}))


@pytest.mark.parametrize("damage", [_mixed_vocabulary, _short_arrays, _short_rows],
                         ids=["vocabulary-of-another-width", "short-arrays", "short-rows"])
def test_damaged_keyword_files_are_rebuilt_in_a_fresh_process(
        data_dir: Path, model_dir: Path, damage: Callable[[Path], None]) -> None:
    damage(data_dir)
    words = list(RARE_WORDS)
    run = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), str(model_dir), *words],
                         capture_output=True, text=True, timeout=240, cwd=ROOT, env=child_env())
    assert run.returncode == 0, f"the process died ({run.returncode}): {run.stderr[-1500:]}"
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    for word, title in RARE_WORDS.items():
        assert lines[word] == f"{title} True", run.stdout
    assert "rebuilt from Chroma" in run.stderr and "keyword" in run.stderr, run.stderr[-1500:]


def test_a_vouched_index_smaller_than_chroma_is_rebuilt(
        data_dir: Path, open_archive: OpenArchive) -> None:
    archive = open_archive(data_dir)
    gone = archive.search("Broodhuys", floor=False)[0].post_id
    # Chroma loses a post behind the index's back (say, a restored backup): the saved
    # index still vouches for it, but its size no longer matches.
    archive.store.delete_posts([gone])
    again = open_archive(data_dir)
    assert gone not in again._keyword.meta
    assert all(h.post_id != gone for h in again.search("Broodhuys", k=30, floor=False))
