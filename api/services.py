"""Build the long-lived parts (archive, fetcher, persona) from settings, for entry points."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from api.settings import Settings
from knowledge.archive import Archive
from knowledge.readers import Fetcher
from persona.persona import Persona, load_persona


def open_archive(settings: Settings) -> Archive:
    """The archive under the data dir, embedded or on the configured Chroma server."""
    return Archive.open(settings.data_dir, settings.chroma_url, settings.embedder)


def make_fetcher(settings: Settings) -> Fetcher:
    """An HTTP fetcher that refuses private addresses unless the operator allows them."""
    return Fetcher(allow_private=settings.allow_private_urls)


def persona_of(settings: Settings) -> Persona:
    """The configured persona, or the shipped demo one."""
    return load_persona(settings.persona)


def sample_blog_path() -> Path:
    """The bundled sample blog of the demo author."""
    return Path(str(resources.files("knowledge") / "sample_blog"))
