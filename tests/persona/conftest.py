"""Fixtures for the persona tests: provider fakes, and a process environment that lies."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from persona.models import ModelRegistry, ModelRunner
from tests.fakes import FakeFleet, sample_messages
from tests.support.sample import make_hostile


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
