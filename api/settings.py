"""The one settings class: AVATAR_* variables, provider keys, Slack secrets, or a .env file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.devices import check_name

CommaList = Annotated[list[str], NoDecode]

_DURATION_RE = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

# Provider variables keep their usual names; they reach the model registry as a plain mapping.
PROVIDER_ENV = (
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_VERSION", "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL", "XAI_API_KEY", "XAI_BASE_URL", "MISTRAL_API_KEY", "MISTRAL_BASE_URL",
    "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "OLLAMA_BASE_URL",
)


def _alias(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Everything an operator can configure; read only by entry points."""

    model_config = SettingsConfigDict(
        env_prefix="AVATAR_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path("data")
    persona: Path | None = None
    default_model: str = "extractive"
    models: CommaList = Field(default_factory=lambda: ["extractive"])
    fallback_models: CommaList = Field(default_factory=lambda: ["extractive"])
    admin_token: SecretStr | None = None
    chroma_url: str | None = None
    allowed_origins: CommaList = Field(default_factory=list)
    sync_interval: int = 0
    share_ttl: int = 30 * 86400  # how long a shared conversation's link works ("30d", "12h")
    embedder: str = "minilm-int8"
    device: str = "auto"  # where the encoder runs: auto (CUDA when present), cpu or cuda
    allow_private_urls: bool = False
    max_body_bytes: int = 64_000
    max_message_chars: int = 4_000
    rate_limit_per_minute: int = 30
    slack_editors: CommaList = Field(default_factory=list)
    slack_socket: bool = False  # Slack over Socket Mode (needs SLACK_APP_TOKEN), not HTTP
    slack_update_seconds: float = 1.5  # how often a streamed Slack answer is edited in place
    # OpenAI-compatible servers readers can pick as `compat:<name>`: "name=url,name2=url2".
    compat_endpoints: CommaList = Field(default_factory=list)
    first_token_timeout: float = 20.0
    total_timeout: float = 120.0

    slack_bot_token: SecretStr | None = Field(None, validation_alias=_alias("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=_alias("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_alias("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=_alias("SLACK_API_URL"))

    @field_validator("models", "fallback_models", "allowed_origins", "slack_editors",
                     "compat_endpoints", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("device")
    @classmethod
    def _known_device(cls, value: str) -> str:
        return check_name(value)

    @field_validator("sync_interval", "share_ttl", mode="before")
    @classmethod
    def _parse_duration(cls, value: object) -> object:
        """Accept seconds or a duration such as '30m', '6h', '1d'."""
        if isinstance(value, str):
            match = _DURATION_RE.match(value)
            if not match:
                raise ValueError("use seconds or a duration like 30m, 6h, 1d")
            return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        return value

    def allowed_models(self) -> list[str]:
        """The models readers may pick, the default always among them."""
        return list(dict.fromkeys([self.default_model, *self.models]))

    def compat_map(self) -> dict[str, str]:
        """`compat:<name>` endpoints as {name: base_url}."""
        pairs = (item.split("=", 1) for item in self.compat_endpoints if "=" in item)
        return {name.strip(): url.strip() for name, url in pairs}

    def provider_env(self, environ: dict[str, str]) -> dict[str, str]:
        """Provider keys and endpoints from the environment or the .env file."""
        from dotenv import dotenv_values

        found = {k: v for k, v in dotenv_values(".env").items() if v and k in PROVIDER_ENV}
        found.update({k: environ[k] for k in PROVIDER_ENV if environ.get(k)})
        return found
