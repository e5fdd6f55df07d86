"""Session fixtures every suite shares: the one real embedder and where its model is cached.

The int8 ONNX export of MiniLM takes ~15 s, so it is made once and kept in pytest's cache
folder (the product caches it the same way, in `<data_dir>/models`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.embedding import load_embedder
from tests.support.embedders import MemoEmbedder


@pytest.fixture(scope="session")
def onnx_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the exported int8 ONNX model (exported on first use, then cached)."""
    cache = getattr(request.config, "cache", None)
    return Path(cache.mkdir("archive-onnx")) if cache else tmp_path_factory.mktemp("onnx")


@pytest.fixture(scope="session")
def embedder(onnx_dir: Path) -> MemoEmbedder:
    """The one real minilm-int8 embedder of the session (vectors remembered per text)."""
    return MemoEmbedder(load_embedder("minilm-int8", onnx_dir))
