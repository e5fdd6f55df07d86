"""A set of provider fakes for one test: each started on first use, all stopped together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tests.fakes.base import FakeModelServer
from tests.fakes.providers import AnthropicFake, AzureOpenAIFake, OllamaFake, OpenAIFake

FAKE_KINDS: dict[str, type[FakeModelServer]] = {
    "openai": OpenAIFake,
    "azure_openai": AzureOpenAIFake,
    "anthropic": AnthropicFake,
    "ollama": OllamaFake,
}
"""Fake kind → class; xai, mistralai and compat models are served by the `openai` fake."""


@dataclass(frozen=True)
class Wiring:
    """Which fake serves a model provider, and the env vars that point its client there."""

    kind: str
    key_var: str | None
    url_var: str
    url_suffix: str = ""  # the real base URLs of OpenAI-style APIs end in /v1
    extra: tuple[tuple[str, str], ...] = ()


WIRING: dict[str, Wiring] = {
    "openai": Wiring("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL", "/v1"),
    "xai": Wiring("openai", "XAI_API_KEY", "XAI_BASE_URL", "/v1"),
    "mistralai": Wiring("openai", "MISTRAL_API_KEY", "MISTRAL_BASE_URL", "/v1"),
    "azure_openai": Wiring(
        "azure_openai",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_ENDPOINT",
        extra=(("OPENAI_API_VERSION", "2024-10-21"),),
    ),
    "anthropic": Wiring("anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
    "ollama": Wiring("ollama", None, "OLLAMA_BASE_URL"),
}


class FakeFleet:
    """Fakes by kind (`fleet["anthropic"]`), started lazily; `close()` stops them all at once."""

    def __init__(self) -> None:
        self._fakes: dict[str, FakeModelServer] = {}
        self._extra: list[FakeModelServer] = []

    def __getitem__(self, kind: str) -> FakeModelServer:
        fake = self._fakes.get(kind)
        if fake is None:
            fake = self._fakes[kind] = FAKE_KINDS[kind]().start()
        return fake

    def fake_for(self, model: str) -> FakeModelServer:
        """The fake that serves a `provider:model` name."""
        return self[WIRING[model.partition(":")[0]].kind]

    def add(self, fake: FakeModelServer) -> FakeModelServer:
        """Start one more fake (e.g. a second OpenAI-style server) that `close()` will stop."""
        self._extra.append(fake.start())
        return fake

    def env_for(self, models: Iterable[str]) -> dict[str, str]:
        """Provider keys and base URLs that point every listed model at its fake."""
        env: dict[str, str] = {}
        for model in models:
            wiring = WIRING.get(model.partition(":")[0])
            if wiring is None:
                continue
            fake = self[wiring.kind]
            env[wiring.url_var] = fake.base_url + wiring.url_suffix
            if wiring.key_var and fake.api_key:
                env[wiring.key_var] = fake.api_key
            env.update(wiring.extra)
        return env

    def close(self, wait: bool = False) -> None:
        """Stop every started fake; by default without waiting the ~0.1 s each thread needs."""
        fakes = [*self._fakes.values(), *self._extra]
        for fake in fakes:
            fake.shutdown()  # hanging requests are released at once, the threads end soon
        if wait:
            for fake in fakes:
                fake.stop()
