"""Fixtures for the persona tests: provider fakes, and a process environment that lies."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from persona.models import ModelRegistry, ModelRunner
from tests.fakes import FakeFleet, sample_messages

# Dead endpoints and wrong keys in os.environ: the model registry must use only the env
# mapping it is given, so a client that still read these would fail the tests.
HOSTILE_ENV = {
    "OPENAI_API_KEY": "wrong-key-from-os-environ",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "OPENAI_API_BASE": "http://127.0.0.1:9/v1",
    "ANTHROPIC_API_KEY": "wrong-key-from-os-environ",
    "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
    "ANTHROPIC_API_URL": "http://127.0.0.1:9",
    "XAI_API_KEY": "wrong-key-from-os-environ",
    "XAI_API_BASE": "http://127.0.0.1:9/v1",
    "MISTRAL_API_KEY": "wrong-key-from-os-environ",
    "MISTRAL_BASE_URL": "http://127.0.0.1:9/v1",
    "AZURE_OPENAI_API_KEY": "wrong-key-from-os-environ",
    "AZURE_OPENAI_ENDPOINT": "http://127.0.0.1:9",
    "OPENAI_API_VERSION": "1999-01-01",
    "OLLAMA_HOST": "http://127.0.0.1:9",
}
# No tracing, no network: LangSmith must stay off whatever the developer's shell says.
SILENT = ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")


@pytest.fixture(autouse=True)
def hostile_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fill os.environ with wrong provider settings and switch tracing off."""
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)
    for name in SILENT:
        monkeypatch.delenv(name, raising=False)


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
