"""The model registry: which models readers may pick, the fallback order, and how each is built.

Models are named `provider:model` (`openai:gpt-4o-mini`, `ollama:llama3.2:3b`,
`compat:llamacpp`) or by a bare name (`extractive`). A builder is looked up by the full
name first, then by the provider, so hooks such as `extractive` or `local:smollm2` plug in
beside the LangChain providers without any `if provider == ...` chain.

The registry reads no settings and no `os.environ`: the entry point passes the allow-list,
the provider keys and endpoints (`env`), and the builders of the non-LangChain backends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from persona.model_providers import LANGCHAIN_BUILDERS
from persona.model_runner import (
    AllBackendsFailed,
    BackendFailed,
    Done,
    ModelRunner,
    StreamError,
    StreamEvent,
    Token,
    chunk_text,
)
from persona.model_types import (
    BuildContext,
    Builder,
    ChatBackend,
    CompatEndpoint,
    ModelConfigError,
    ModelNotAllowed,
    ModelSpec,
)

__all__ = [
    "AllBackendsFailed",
    "BackendFailed",
    "BuildContext",
    "Builder",
    "ChatBackend",
    "CompatEndpoint",
    "Done",
    "ModelConfigError",
    "ModelInfo",
    "ModelNotAllowed",
    "ModelRegistry",
    "ModelRunner",
    "ModelSpec",
    "StreamError",
    "StreamEvent",
    "Token",
    "chunk_text",
]

PROVIDER_NAMES = {
    "openai": "OpenAI",
    "compat": "OpenAI-compatible",
    "azure_openai": "Azure OpenAI",
    "xai": "xAI",
    "mistralai": "Mistral AI",
    "anthropic": "Anthropic",
    "ollama": "Ollama",
    "local": "local",
}
DEFAULT_LABELS = {
    "extractive": "Extractive: the author's own sentences, no language model",
    "local:smollm2": "SmolLM2 135M, local (weak; for offline demos only)",
}
# Backends good enough to show the pipeline works, not to speak for the author.
DEMO_MODELS = frozenset({"local:smollm2"})


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model a reader may pick, as the model picker shows it."""

    name: str
    provider: str
    label: str
    default: bool
    demo: bool


def _unique(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))


class ModelRegistry:
    """The operator's allow-list, default and fallback order, and a builder per provider."""

    def __init__(
        self,
        allowed: Sequence[str],
        default: str | None = None,
        fallbacks: Sequence[str] = (),
        *,
        env: Mapping[str, str] | None = None,
        compat_endpoints: Mapping[str, str | CompatEndpoint] | None = None,
        extra_builders: Mapping[str, Builder] | None = None,
        labels: Mapping[str, str] | None = None,
        model_options: Mapping[str, Mapping[str, Any]] | None = None,
        request_timeout: float | None = 120.0,
    ) -> None:
        self.allowed = _unique(allowed) or _unique([default or ""])
        if not self.allowed:
            raise ModelConfigError("no models configured: give an allow-list or a default")
        self.default = default.strip() if default else self.allowed[0]
        if self.default not in self.allowed:
            raise ModelConfigError(
                f"default model {self.default!r} is not among the allowed: "
                + ", ".join(self.allowed)
            )
        self.fallbacks = _unique(fallbacks)
        self._env = dict(env or {})
        self._compat = {
            name: ep if isinstance(ep, CompatEndpoint) else CompatEndpoint(base_url=ep)
            for name, ep in (compat_endpoints or {}).items()
        }
        self._builders: dict[str, Builder] = {**LANGCHAIN_BUILDERS, **(extra_builders or {})}
        self._labels = {**DEFAULT_LABELS, **(labels or {})}
        self._options = {name: dict(opts) for name, opts in (model_options or {}).items()}
        self._request_timeout = request_timeout
        self._cache: dict[str, ChatBackend] = {}
        for name in (*self.allowed, *self.fallbacks):
            self._builder_for(ModelSpec.parse(name))  # fail at start-up, not at first use

    def resolve(self, name: str | None = None) -> str:
        """The model to use for a request: `name` if allowed, the default when None."""
        if name is None or not name.strip():
            return self.default
        name = name.strip()
        if name not in self.allowed:
            raise ModelNotAllowed(name, self.allowed)
        return name

    def is_allowed(self, name: str) -> bool:
        """Whether readers may pick `name`."""
        return name.strip() in self.allowed

    def chain(self, name: str | None = None) -> list[str]:
        """The resolved model, then the fallbacks in order, without duplicates."""
        return list(_unique([self.resolve(name), *self.fallbacks]))

    def available(self) -> list[ModelInfo]:
        """The allowed models in order, with labels and the default and demo flags."""
        return [self._info(name) for name in self.allowed]

    def build(self, name: str) -> ChatBackend:
        """The backend for an allowed or fallback model, built once and then reused."""
        name = name.strip()
        if name not in self.allowed and name not in self.fallbacks:
            raise ModelNotAllowed(name, self.allowed)
        backend = self._cache.get(name)
        if backend is None:
            spec = ModelSpec.parse(name)
            context = BuildContext(
                env=self._env,
                compat_endpoints=self._compat,
                options=self._options.get(name, {}),
                request_timeout=self._request_timeout,
            )
            backend = self._cache[name] = self._builder_for(spec)(spec, context)
        return backend

    def warm_up(self) -> list[tuple[str, str]]:
        """Build every allowed and fallback model now; return (model, reason) for those that fail.

        A first build imports the provider's client library (seconds for some), so entry
        points call this at start-up rather than on a reader's first request.
        """
        failures = []
        for name in _unique([*self.allowed, *self.fallbacks]):
            try:
                self.build(name)
            except Exception as exc:
                failures.append((name, f"{type(exc).__name__}: {exc}"))
        return failures

    def _builder_for(self, spec: ModelSpec) -> Builder:
        builder = self._builders.get(spec.name) or self._builders.get(spec.provider)
        if builder is None:
            known = ", ".join(sorted(self._builders))
            raise ModelConfigError(f"no backend for model {spec.name!r}; known: {known}")
        return builder

    def _info(self, name: str) -> ModelInfo:
        spec = ModelSpec.parse(name)
        provider = PROVIDER_NAMES.get(spec.provider, spec.provider)
        fallback_label = f"{spec.model} ({provider})" if spec.model else spec.name
        return ModelInfo(
            name=name,
            provider=spec.provider,
            label=self._labels.get(name, fallback_label),
            default=name == self.default,
            demo=name in DEMO_MODELS,
        )
