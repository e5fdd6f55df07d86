"""The int8 ONNX encoder against the full-precision model it was exported from."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge.archive import Archive
from knowledge.chunking import chunk_post, embedding_text
from knowledge.embedding import ONNX_FILE, LazyEmbedder, OnnxInt8MiniLM, TorchMiniLM
from knowledge.post import Post
from tests.support.embedders import MemoEmbedder
from tests.support.sample import SAMPLE_POSTS


@pytest.fixture(scope="module")
def chunk_texts(sample_posts: list[Post]) -> list[str]:
    """Every chunk of the sample blog, as ingest embeds it (title first)."""
    return [embedding_text(p.title, c.text) for p in sample_posts for c in chunk_post(p)]


@pytest.fixture(scope="module")
def onnx_model(embedder: MemoEmbedder) -> OnnxInt8MiniLM:
    """The session's real int8 encoder (unwrapped: these tests must not hit its memo)."""
    assert isinstance(embedder.inner, OnnxInt8MiniLM)
    return embedder.inner


def test_int8_vectors_stay_close_to_full_precision(onnx_model: OnnxInt8MiniLM,
                                                   chunk_texts: list[str]) -> None:
    full = TorchMiniLM().embed(chunk_texts)
    cosine = (onnx_model.embed(chunk_texts) * full).sum(axis=1)
    assert float(cosine.mean()) >= 0.99, f"mean cosine {cosine.mean():.4f}"
    assert float(cosine.min()) >= 0.97, f"worst cosine {cosine.min():.4f}"
    # Retrieval-level fidelity: each chunk's five nearest other chunks are mostly the same.
    def top5(v: np.ndarray) -> list[set[int]]:
        sims = v @ v.T
        np.fill_diagonal(sims, -1)
        return [set(row) for row in np.argsort(-sims, axis=1)[:, :5].tolist()]

    pairs = zip(top5(onnx_model.embed(chunk_texts)), top5(full), strict=True)
    overlap = float(np.mean([len(a & b) / 5 for a, b in pairs]))
    assert overlap >= 0.9, f"top-5 neighbour overlap {overlap:.3f}"


def test_vectors_do_not_depend_on_batching_or_order(onnx_model: OnnxInt8MiniLM,
                                                    chunk_texts: list[str]) -> None:
    texts = chunk_texts[:40]
    together = onnx_model.embed(texts)
    assert together.shape == (40, 384) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    alone = np.stack([onnx_model.embed([t])[0] for t in texts[:6]])
    reversed_ = onnx_model.embed(texts[::-1])[::-1]
    # On the CPU each text runs alone (activation ranges are quantised per run), so a
    # text's vector is the same whatever it was embedded with: a cached vector never
    # depends on the order things were asked in.
    assert np.allclose(alone, together[:6], atol=1e-6)
    assert np.allclose(reversed_, together, atol=1e-6)
    assert onnx_model.embed([]).shape == (0, 384)


def test_export_is_cached_under_the_fused_graph_name(onnx_dir: Path) -> None:
    assert (onnx_dir / ONNX_FILE).exists()
    # A stale export from an older graph (if any) is left alone and never loaded.
    assert ONNX_FILE != "minilm-l6-v2-int8.onnx"


def test_a_named_embedder_loads_only_when_something_needs_embedding(
        tmp_path: Path, onnx_dir: Path, embedder: MemoEmbedder,
        sample_posts: list[Post]) -> None:
    data = tmp_path / "data"
    Archive.open(data, embedder=embedder).ingest(sample_posts)
    (data / "models").mkdir(exist_ok=True)
    shutil.copy(onnx_dir / ONNX_FILE, data / "models" / ONNX_FILE)  # skip a second export

    archive = Archive.open(data, embedder="minilm-int8")
    lazy = archive.embedder
    assert isinstance(lazy, LazyEmbedder) and not lazy.loaded
    # Re-ingesting an unchanged archive and listing it need no model: none is loaded.
    assert archive.ingest(sample_posts).unchanged == SAMPLE_POSTS
    assert archive.count_posts() == SAMPLE_POSTS
    assert not lazy.loaded
    assert archive.search("congestion charging in the city centre")  # a query needs it
    assert lazy.loaded


def test_an_unknown_embedder_name_fails_when_the_archive_opens(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown embedder 'nope'"):
        Archive.open(tmp_path / "data", embedder="nope")
