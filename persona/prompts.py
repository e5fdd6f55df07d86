"""Load the prompt texts (persona/prompts/prompts.toml) once; fill their placeholders."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def prompts() -> dict[str, Any]:
    """All prompt texts, as data."""
    raw = (resources.files("persona") / "prompts" / "prompts.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def render(template: str, **values: object) -> str:
    """Fill {placeholders}; text from readers or posts is inserted verbatim, never re-parsed."""
    return template.strip().format_map({k: str(v) for k, v in values.items()})
