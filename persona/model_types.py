"""Shared types of the model layer: parsed model names, build context, backend protocol, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class ModelNotAllowed(ValueError):
    """The requested model is unknown or not on the operator's allow-list."""

    def __init__(self, model: str, allowed: Iterable[str]) -> None:
        self.model = model
        self.allowed = tuple(allowed)
        super().__init__(
            f"model {model!r} is not allowed; choose one of: {', '.join(self.allowed)}"
        )


class ModelConfigError(ValueError):
    """A model cannot be built from the configuration given (bad name, missing key or URL)."""


class ChatBackend(Protocol):
    """What the runner needs from a model: LangChain's `astream` over a list of messages.

    Every LangChain chat model satisfies it; the `extractive` and `local:*` hooks may
    return any object with this method, yielding message chunks or plain strings.
    """

    def astream(self, input: Any, /) -> AsyncIterator[Any]:
        """Stream the reply to `input` (a list of LangChain messages) in pieces."""
        ...


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A model name split into its parts: `provider:model` (or a bare name like `extractive`)."""

    name: str
    provider: str
    model: str

    @classmethod
    def parse(cls, name: str) -> ModelSpec:
        """Split `provider:model`; only the first colon counts (`ollama:llama3.2:3b`)."""
        name = name.strip()
        if not name:
            raise ModelConfigError("empty model name")
        provider, _, model = name.partition(":")
        return cls(name=name, provider=provider.strip().lower(), model=model.strip())


@dataclass(frozen=True, slots=True)
class CompatEndpoint:
    """An OpenAI-compatible server (llama.cpp, vLLM, LM Studio…) reached as `compat:<name>`."""

    base_url: str
    # The model id sent in the request body; None sends the `<name>` part itself.
    model: str | None = None
    # Local servers usually ignore the key, but the OpenAI client insists on one.
    api_key: str | None = None


@dataclass(frozen=True, slots=True)
class BuildContext:
    """Everything a builder may use: provider keys/endpoints and per-model options."""

    env: Mapping[str, str] = field(default_factory=dict)
    compat_endpoints: Mapping[str, CompatEndpoint] = field(default_factory=dict)
    # Extra keyword arguments for this one model (e.g. temperature, max_tokens).
    options: Mapping[str, Any] = field(default_factory=dict)
    # Per-request timeout handed to the HTTP client, a safety net under the runner's own.
    request_timeout: float | None = 120.0


Builder = Callable[[ModelSpec, BuildContext], ChatBackend]
"""Builds the backend for one model name; registered per provider or per full name."""
