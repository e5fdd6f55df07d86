"""Who the avatar is: a persona TOML file (name, voice, sign-off, feeds, examples)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Example:
    """One example exchange showing the author's voice."""

    user: str
    avatar: str


@dataclass(frozen=True)
class Persona:
    """The author the avatar speaks for; configuration only, never code."""

    name: str
    bio: str = ""
    language: str = "en"
    sign_off: str = ""
    invitation: str = ""
    voice: str = ""
    avoid_topics: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    site_url: str = ""
    examples: tuple[Example, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Persona:
        """Build a persona from parsed TOML, with a clear error for a missing name."""
        if not str(data.get("name", "")).strip():
            raise ValueError("a persona needs a name")
        return cls(
            name=str(data["name"]).strip(),
            bio=str(data.get("bio", "")),
            language=str(data.get("language", "en")),
            sign_off=str(data.get("sign_off", "")),
            invitation=str(data.get("invitation", "")),
            voice=str(data.get("voice", "")),
            avoid_topics=tuple(str(x) for x in data.get("avoid_topics", [])),
            feeds=tuple(str(x) for x in data.get("feeds", [])),
            site_url=str(data.get("site_url", "")),
            examples=tuple(Example(str(e.get("user", "")), str(e.get("avatar", "")))
                           for e in data.get("examples", [])),
        )


def demo_persona_path() -> Path:
    """The shipped demo persona (the fictional author of the sample blog)."""
    return Path(str(resources.files("persona") / "personas" / "demo.toml"))


def load_persona(path: Path | None = None) -> Persona:
    """Read a persona TOML file (the demo persona when no path is given)."""
    path = path or demo_persona_path()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ValueError(f"persona file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"persona file {path} is not valid TOML: {exc}") from None
    return Persona.from_dict(data)
