"""The model registry: allow-list, default, fallback order, labels, and builder hooks."""

from __future__ import annotations

from typing import Any

import pytest

from persona.models import (
    BuildContext,
    ModelConfigError,
    ModelInfo,
    ModelNotAllowed,
    ModelRegistry,
    ModelRunner,
    ModelSpec,
)

ALLOWED = ["openai:gpt-test", "anthropic:claude-test", "extractive"]
ENV = {"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k"}


class Stub:
    """A backend for builder hooks; records the spec and context it was built with."""

    def __init__(self, spec: ModelSpec, ctx: BuildContext) -> None:
        self.spec, self.ctx = spec, ctx

    async def astream(self, messages: Any, /) -> Any:
        yield "stub"


def registry(**overrides: Any) -> ModelRegistry:
    args: dict[str, Any] = {
        "allowed": ALLOWED,
        "default": "anthropic:claude-test",
        "fallbacks": ["extractive"],
        "env": ENV,
        "extra_builders": {"extractive": Stub},
    }
    args.update(overrides)
    return ModelRegistry(**args)


def test_resolve_gives_the_default_or_an_allowed_choice() -> None:
    models = registry()
    assert models.resolve(None) == "anthropic:claude-test"
    assert models.resolve("") == "anthropic:claude-test"
    assert models.resolve(" openai:gpt-test ") == "openai:gpt-test"
    assert models.resolve("extractive") == "extractive"


@pytest.mark.parametrize("name", ["openai:gpt-5", "nonsense", "ollama:llama3.2:3b"])
def test_an_unknown_or_disallowed_model_is_refused_naming_the_allowed(name: str) -> None:
    with pytest.raises(ModelNotAllowed) as caught:
        registry().resolve(name)
    assert isinstance(caught.value, ValueError)
    assert caught.value.model == name
    message = str(caught.value)
    assert name in message
    assert all(allowed in message for allowed in ALLOWED)


def test_a_fallback_only_model_is_not_for_readers_to_pick() -> None:
    models = registry(allowed=["openai:gpt-test"], default=None, fallbacks=["extractive"])
    with pytest.raises(ModelNotAllowed):
        models.resolve("extractive")
    assert isinstance(models.build("extractive"), Stub)  # but it can serve as a fallback
    with pytest.raises(ModelNotAllowed):
        models.build("anthropic:claude-test")  # and nothing else is ever built


def test_the_runner_refuses_a_disallowed_model_before_streaming() -> None:
    runner = ModelRunner(registry())
    with pytest.raises(ModelNotAllowed):
        runner.stream([], "openai:gpt-5")  # raised at call time: an HTTP 400, not a broken SSE


def test_the_chain_is_the_choice_then_the_fallbacks_without_duplicates() -> None:
    models = registry(fallbacks=["extractive", "openai:gpt-test", "extractive"])
    assert models.chain() == ["anthropic:claude-test", "extractive", "openai:gpt-test"]
    assert models.chain("openai:gpt-test") == [
        "openai:gpt-test",
        "extractive",
    ]
    assert models.chain("extractive") == ["extractive", "openai:gpt-test"]


def test_available_lists_allowed_models_with_flags_and_labels() -> None:
    models = registry(
        allowed=[*ALLOWED, "local:smollm2"],
        extra_builders={"extractive": Stub, "local:smollm2": Stub},
        labels={"openai:gpt-test": "GPT (test)"},
    )
    listed = {info.name: info for info in models.available()}

    assert list(listed) == [*ALLOWED, "local:smollm2"]
    assert [info.name for info in listed.values() if info.default] == ["anthropic:claude-test"]
    assert [info.name for info in listed.values() if info.demo] == ["local:smollm2"]
    assert "demo" in listed["local:smollm2"].label
    assert listed["openai:gpt-test"].label == "GPT (test)"
    assert listed["anthropic:claude-test"] == ModelInfo(
        "anthropic:claude-test", "anthropic", "claude-test (Anthropic)", True, False
    )
    assert "no language model" in listed["extractive"].label


def test_builder_hooks_by_full_name_or_by_provider() -> None:
    models = registry(
        allowed=["extractive", "local:smollm2", "local:phi-mini"],
        default="extractive",
        fallbacks=[],
        extra_builders={"extractive": Stub, "local": Stub},
        model_options={"local:phi-mini": {"n_ctx": 2048}},
    )
    built = models.build("local:phi-mini")
    assert isinstance(built, Stub)
    assert (built.spec.provider, built.spec.model) == ("local", "phi-mini")
    assert built.ctx.options == {"n_ctx": 2048}
    assert built.ctx.env == ENV
    assert models.build("local:phi-mini") is built  # built once, then reused


def test_model_names_keep_colons_after_the_provider() -> None:
    spec = ModelSpec.parse(" ollama:llama3.2:3b ")
    assert (spec.name, spec.provider, spec.model) == ("ollama:llama3.2:3b", "ollama", "llama3.2:3b")
    assert ModelSpec.parse("extractive") == ModelSpec("extractive", "extractive", "")


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"allowed": ["openai:gpt-test", "cohere:command"]}, "cohere:command"),
        ({"fallbacks": ["gemini:pro"]}, "gemini:pro"),
        ({"default": "openai:gpt-5"}, "openai:gpt-5"),
        ({"allowed": [], "default": None}, "no models"),
        ({"extra_builders": {}}, "extractive"),  # a hook the caller forgot to supply
    ],
)
def test_bad_configuration_fails_at_start_up(overrides: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ModelConfigError, match=complaint):
        registry(**overrides)


def test_a_default_alone_is_the_allow_list() -> None:
    models = registry(allowed=[], default="openai:gpt-test", fallbacks=[])
    assert models.allowed == ("openai:gpt-test",)
    assert models.chain() == ["openai:gpt-test"]


def test_keys_come_from_the_env_given_never_from_os_environ() -> None:
    # The autouse fixture has put provider keys into os.environ; the env passed here has none.
    models = registry(env={})
    with pytest.raises(ModelConfigError, match="ANTHROPIC_API_KEY"):
        models.build("anthropic:claude-test")
    with pytest.raises(ModelConfigError, match="OPENAI_API_KEY"):
        models.build("openai:gpt-test")


def test_warm_up_builds_everything_and_reports_what_cannot_be_built() -> None:
    models = registry(env={"ANTHROPIC_API_KEY": "k"})
    failures = models.warm_up()
    assert [name for name, _ in failures] == ["openai:gpt-test"]
    assert "OPENAI_API_KEY" in failures[0][1]


def test_compat_needs_a_named_endpoint() -> None:
    models = registry(allowed=["compat:vllm"], default=None, fallbacks=[], compat_endpoints={})
    with pytest.raises(ModelConfigError, match="no endpoint named 'vllm'"):
        models.build("compat:vllm")
