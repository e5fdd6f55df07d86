"""Fixtures for the archive integration tests: one real embedder per session, real Chroma.

The int8 ONNX export of MiniLM takes ~15 s, so it is made once and kept in pytest's cache
folder (the product caches it the same way, in `<data_dir>/models`). Every archive in this
process shares one embedder that remembers the vectors of texts it has already embedded:
the vectors are the real model's, only repeated work on the same sample blog is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from knowledge.archive import Archive
from knowledge.embedding import Embedder
from knowledge.post import Post
from tests.support.embedders import CountingEmbedder, MemoEmbedder
from tests.support.sample import ONNX_NAME, ROOT, free_port, stop_process

VENV_BIN = Path(sys.executable).parent

# Words that occur in exactly one post of the sample blog, and that post's title.
RARE_WORDS = {
    "Broodhuys": "Data You Never Collect Cannot Leak",
    "Fietsherstel": "The Bike Repair Shop and the Marketplace",
    "Ringheffing": "Congestion Charging, Revisited",
    "Nordvarme": "One Winter With a Heat Pump in a 1930s Rowhouse",
}


@pytest.fixture(scope="session")
def model_dir(onnx_dir: Path) -> Path:
    """The exported int8 ONNX model's folder (see tests/conftest.py)."""
    return onnx_dir


@pytest.fixture
def counting(embedder: MemoEmbedder) -> CountingEmbedder:
    """The session embedder, counting what it is asked to embed."""
    return CountingEmbedder(embedder)


@pytest.fixture(scope="session")
def by_title(sample_posts: list[Post]) -> dict[str, Post]:
    """Sample posts by title."""
    return {p.title: p for p in sample_posts}


OpenArchive = Callable[..., Archive]


@pytest.fixture
def open_archive(embedder: MemoEmbedder) -> OpenArchive:
    """Archive.open with the session embedder unless another one is given."""

    def _open(data_dir: Path, chroma_url: str | None = None,
              embedder_: Embedder | None = None) -> Archive:
        return Archive.open(data_dir, chroma_url=chroma_url, embedder=embedder_ or embedder)

    return _open


def seed_models(data_dir: Path, model_dir: Path) -> None:
    """Give a data dir the exported model, so a fresh process does not export it again."""
    target = data_dir / "models"
    target.mkdir(parents=True, exist_ok=True)
    if not (target / ONNX_NAME).exists():
        shutil.copyfile(model_dir / ONNX_NAME, target / ONNX_NAME)


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess: no AVATAR_* leaking in from outside, offline hub."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVATAR_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


@contextmanager
def running_chroma(path: Path) -> Iterator[str]:
    """A real `chroma run` server over path on a free loopback port; yields its URL."""
    port = free_port()
    log = (path.parent / f"{path.name}.log").open("wb")
    proc = subprocess.Popen(
        [str(VENV_BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=child_env(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not answer its heartbeat; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server shared by the session; yields its URL."""
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


@pytest.fixture
def own_chroma_server(tmp_path: Path) -> Iterator[str]:
    """A `chroma run` server of this test alone (an empty collection to count on)."""
    with running_chroma(tmp_path / "chroma-server") as url:
        yield url
