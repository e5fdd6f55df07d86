"""Fixtures for the HTTP API tests: one real embedder and sample archive, fake model servers.

The int8 ONNX export of MiniLM (~15 s) is made once and kept in pytest's cache folder
(shared with the other suites). One archive of the sample blog serves every read-only
test; tests that write get a fresh one, cheap because the embedder remembers vectors.
Apps are built with `create_app(settings, archive=...)` and run with their lifespan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from knowledge.archive import Archive
from knowledge.post import Post
from tests.fakes import OpenAIFake
from tests.support.embedders import MemoEmbedder
from tests.support.sample import drop_avatar_settings, make_hostile

FAKE_MODEL = "openai:fake-model"
FAKE_KEY = "test-key"
ADMIN_TOKEN = "s3cret-editor-token"
QUESTION = "Should companies pay for the open-source software they depend on?"
CITING_REPLY = ("I believe firms should pay for what they use, as a normal cost of doing "
                "business [1].\n\nRegards, Ada")



@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AVATAR_* settings from the shell, dead provider endpoints, no tracing."""
    drop_avatar_settings(monkeypatch)
    make_hostile(monkeypatch)


@pytest.fixture
def fresh_archive(tmp_path: Path, embedder: MemoEmbedder,
                  sample_posts: list[Post]) -> Archive:
    """A writable archive of the sample blog for one test."""
    opened = Archive.open(tmp_path / "archive", embedder=embedder)
    opened.ingest(sample_posts)
    return opened


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIFake]:
    """An OpenAI-compatible fake server; `openai:*` models are sent to it."""
    server = OpenAIFake(CITING_REPLY, pieces=6).start()
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
    try:
        yield server
    finally:
        server.stop()


MakeSettings = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> MakeSettings:
    """Settings for one test (data dir in tmp), the fake model first, no fallback."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data", "default_model": FAKE_MODEL,
            "models": [FAKE_MODEL, "extractive"], "fallback_models": [],
            "admin_token": ADMIN_TOKEN, "rate_limit_per_minute": 1000,
            "first_token_timeout": 15.0, "total_timeout": 60.0,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return make


MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(make_settings: MakeSettings, archive: Archive) -> Iterator[MakeClient]:
    """A TestClient (lifespan running) over the shared archive, with settings overrides."""
    clients: list[TestClient] = []

    def make(*, archive_: Archive | None = None, **overrides: Any) -> TestClient:
        app = create_app(make_settings(**overrides), archive=archive_ or archive)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    try:
        yield make
    finally:
        for client in clients:
            client.__exit__(None, None, None)


def admin(token: str = ADMIN_TOKEN) -> dict[str, str]:
    """The editor's Authorization header."""
    return {"Authorization": f"Bearer {token}"}
