"""Session fixtures every suite shares: the one real embedder and where its model is cached.

The int8 ONNX export of MiniLM takes ~15 s, so it is made once and kept in pytest's cache
folder (the product caches it the same way, in `<data_dir>/models`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_openai.chat_models import _client_utils as openai_clients

from knowledge.archive import Archive
from knowledge.embedding import load_embedder
from knowledge.post import Post
from knowledge.readers import read_source
from tests.support.embedders import MemoEmbedder
from tests.support.sample import SAMPLE_BLOG, SAMPLE_POSTS


@pytest.fixture(autouse=True)
def fresh_openai_clients() -> Iterator[None]:
    """Forget langchain-openai's cached HTTP clients after each test.

    It caches one async client per base URL for the life of the process, bound to the event
    loop it was made on. A server process has one loop; each async test has its own, and when
    a provider fake later gets a port an earlier fake used, the cached client of that closed
    loop fails with "Event loop is closed".
    """
    yield
    openai_clients._cached_async_httpx_client.cache_clear()
    openai_clients._cached_sync_httpx_client.cache_clear()


@pytest.fixture(scope="session")
def onnx_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the exported int8 ONNX model (exported on first use, then cached)."""
    cache = getattr(request.config, "cache", None)
    return Path(cache.mkdir("archive-onnx")) if cache else tmp_path_factory.mktemp("onnx")


@pytest.fixture(scope="session")
def embedder(onnx_dir: Path) -> MemoEmbedder:
    """The one real minilm-int8 embedder of the session (vectors remembered per text)."""
    return MemoEmbedder(load_embedder("minilm-int8", onnx_dir))


@pytest.fixture(scope="session")
def sample_posts() -> list[Post]:
    """The 33 posts of the bundled sample blog, as the folder reader gives them."""
    result = read_source(str(SAMPLE_BLOG))
    assert result.failures == [] and len(result.posts) == SAMPLE_POSTS
    return result.posts


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory, embedder: MemoEmbedder,
            sample_posts: list[Post]) -> Archive:
    """The sample blog, ingested once for the session; tests must only read it."""
    opened = Archive.open(tmp_path_factory.mktemp("sample-archive"), embedder=embedder)
    assert opened.ingest(sample_posts).added == SAMPLE_POSTS
    return opened
