"""LangChain-backed builders, one per provider, all through `init_chat_model`.

Keys and endpoints come only from the `env` mapping the caller passes, and every value the
client would otherwise look up in `os.environ` is passed explicitly, so a stray variable in
the process environment can never redirect a request.
"""

from __future__ import annotations

import math
from typing import Any

from langchain.chat_models import init_chat_model
from langchain_core.language_models import BaseChatModel

from persona.model_types import BuildContext, Builder, ModelConfigError, ModelSpec

OPENAI_URL = "https://api.openai.com/v1"
XAI_URL = "https://api.x.ai/v1"
MISTRAL_URL = "https://api.mistral.ai/v1"
ANTHROPIC_URL = "https://api.anthropic.com"
OLLAMA_URL = "http://127.0.0.1:11434"
AZURE_API_VERSION = "2024-10-21"  # a GA version; OPENAI_API_VERSION overrides it
# OpenAI-compatible local servers ignore the key, but the OpenAI client refuses to start
# without one.
PLACEHOLDER_KEY = "not-needed"


def _need(spec: ModelSpec, ctx: BuildContext, var: str) -> str:
    value = ctx.env.get(var, "").strip()
    if not value:
        raise ModelConfigError(f"{spec.name} needs {var} to be set")
    return value


def _get(ctx: BuildContext, var: str, default: str) -> str:
    return ctx.env.get(var, "").strip() or default


def _need_model(spec: ModelSpec) -> str:
    if not spec.model:
        raise ModelConfigError(f"{spec.name!r} names no model; write {spec.provider}:<model>")
    return spec.model


def _init(provider: str, model: str, ctx: BuildContext, **kwargs: Any) -> BaseChatModel:
    # Per-model options from the operator win over our defaults.
    return init_chat_model(model, model_provider=provider, **{**kwargs, **ctx.options})


def _openai_kwargs(ctx: BuildContext) -> dict[str, Any]:
    # Retries off: a failing backend must fall over to the next model fast.
    return {"max_retries": 0, "timeout": ctx.request_timeout}


def build_openai(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`openai:<model>`: api.openai.com, or any OpenAI-compatible server via OPENAI_BASE_URL."""
    base_url = ctx.env.get("OPENAI_BASE_URL", "").strip()
    key = ctx.env.get("OPENAI_API_KEY", "").strip()
    if not key and not base_url:
        raise ModelConfigError(f"{spec.name} needs OPENAI_API_KEY (or OPENAI_BASE_URL) to be set")
    extra: dict[str, Any] = {} if base_url else {"stream_usage": True}
    return _init(
        "openai",
        _need_model(spec),
        ctx,
        base_url=base_url or OPENAI_URL,
        api_key=key or PLACEHOLDER_KEY,
        **extra,
        **_openai_kwargs(ctx),
    )


def build_compat(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`compat:<name>`: an OpenAI-compatible server from the caller's named endpoints."""
    endpoint = ctx.compat_endpoints.get(_need_model(spec))
    if endpoint is None:
        known = ", ".join(sorted(ctx.compat_endpoints)) or "none"
        raise ModelConfigError(f"{spec.name}: no endpoint named {spec.model!r} (known: {known})")
    return _init(
        "openai",
        endpoint.model or spec.model,
        ctx,
        base_url=endpoint.base_url,
        api_key=endpoint.api_key or PLACEHOLDER_KEY,
        **_openai_kwargs(ctx),
    )


def build_azure_openai(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`azure_openai:<deployment>`: Azure OpenAI, addressed by deployment name."""
    deployment = _need_model(spec)
    return _init(
        "azure_openai",
        deployment,
        ctx,
        azure_endpoint=_need(spec, ctx, "AZURE_OPENAI_ENDPOINT"),
        azure_deployment=deployment,
        api_key=_need(spec, ctx, "AZURE_OPENAI_API_KEY"),
        api_version=_get(ctx, "OPENAI_API_VERSION", AZURE_API_VERSION),
        **_openai_kwargs(ctx),
    )


def build_xai(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`xai:<model>`: xAI's OpenAI-style API (XAI_BASE_URL points it elsewhere)."""
    return _init(
        "xai",
        _need_model(spec),
        ctx,
        api_key=_need(spec, ctx, "XAI_API_KEY"),
        base_url=_get(ctx, "XAI_BASE_URL", XAI_URL),
        **_openai_kwargs(ctx),
    )


def build_mistralai(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`mistralai:<model>`: Mistral's API through its own httpx client."""
    timeout = ctx.request_timeout
    return _init(
        "mistralai",
        _need_model(spec),
        ctx,
        api_key=_need(spec, ctx, "MISTRAL_API_KEY"),
        base_url=_get(ctx, "MISTRAL_BASE_URL", MISTRAL_URL),
        max_retries=0,
        # ChatMistralAI declares its timeout as whole seconds.
        **({"timeout": math.ceil(timeout)} if timeout else {}),
    )


def build_anthropic(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`anthropic:<model>`: the Messages API (ANTHROPIC_BASE_URL points it elsewhere)."""
    return _init(
        "anthropic",
        _need_model(spec),
        ctx,
        api_key=_need(spec, ctx, "ANTHROPIC_API_KEY"),
        base_url=_get(ctx, "ANTHROPIC_BASE_URL", ANTHROPIC_URL),
        max_retries=0,
        timeout=ctx.request_timeout,
    )


def build_ollama(spec: ModelSpec, ctx: BuildContext) -> BaseChatModel:
    """`ollama:<model>`: a local or remote Ollama server at OLLAMA_BASE_URL."""
    client_kwargs: dict[str, Any] = {"timeout": ctx.request_timeout}
    # Ollama needs no key locally; a hosted one takes a Bearer key from the caller's env.
    key = ctx.env.get("OLLAMA_API_KEY", "").strip()
    if key:
        client_kwargs["headers"] = {"Authorization": f"Bearer {key}"}
    return _init(
        "ollama",
        _need_model(spec),
        ctx,
        base_url=_get(ctx, "OLLAMA_BASE_URL", OLLAMA_URL),
        client_kwargs=client_kwargs,
    )


LANGCHAIN_BUILDERS: dict[str, Builder] = {
    "openai": build_openai,
    "compat": build_compat,
    "azure_openai": build_azure_openai,
    "xai": build_xai,
    "mistralai": build_mistralai,
    "anthropic": build_anthropic,
    "ollama": build_ollama,
}
"""Provider → builder for every backend reached through LangChain."""
