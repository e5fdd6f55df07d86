"""Build the long-lived parts (archive, fetcher, persona) from settings, for entry points."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from api.settings import Settings
from knowledge.archive import Archive
from knowledge.locks import refuse_if_served
from knowledge.owner import read_owner, write_owner
from knowledge.readers import Fetcher
from persona.avatar import Avatar
from persona.extractive_backend import extractive_builder
from persona.local_model import build_local
from persona.models import ModelRegistry
from persona.persona import Persona, load_persona
from persona.stance_judge import StanceJudge


def open_archive(settings: Settings) -> Archive:
    """The archive under the data dir, embedded or on the configured Chroma server."""
    return Archive.open(settings.data_dir, settings.chroma_url, settings.embedder,
                        device=settings.device)


def open_archive_to_write(settings: Settings) -> Archive:
    """The archive for a command that writes: refused while a server holds it embedded."""
    if not settings.chroma_url:
        # That server keeps the vector index in memory and would never see these writes.
        refuse_if_served(settings.data_dir)
    return open_archive(settings)


def make_fetcher(settings: Settings) -> Fetcher:
    """An HTTP fetcher that refuses private addresses unless the operator allows them."""
    return Fetcher(allow_private=settings.allow_private_urls)


def persona_of(settings: Settings, claim: bool = False) -> Persona:
    """The configured persona (or the demo one), refused if the archive is someone else's.

    The first writer (claim=True) records whose archive the data dir is, so serving the real
    author's archive can never sign as the demo author by a missing setting.
    """
    persona = load_persona(settings.persona)
    owner = read_owner(settings.data_dir)
    if owner is None and claim:
        write_owner(settings.data_dir, persona.name)
    elif owner is not None and owner != persona.name:
        configured = str(settings.persona) if settings.persona else "the demo persona"
        raise ValueError(
            f"the archive in {settings.data_dir} is {owner}'s, but the persona is "
            f"{persona.name} ({configured}): set AVATAR_PERSONA (or --persona) to {owner}'s "
            f"persona file, use another data dir, or hand the archive over with "
            f"`avatar own --persona FILE`")
    return persona


def hand_over(settings: Settings) -> Persona:
    """Record the configured persona as the archive's owner (the `avatar own` command)."""
    persona = load_persona(settings.persona)
    write_owner(settings.data_dir, persona.name)
    return persona


def sample_blog_path() -> Path:
    """The bundled sample blog of the demo author."""
    return Path(str(resources.files("knowledge") / "sample_blog"))


def model_registry(settings: Settings, archive: Archive) -> ModelRegistry:
    """The operator's models: allow-list, default, fallbacks, keys and local backends."""
    return ModelRegistry(
        settings.allowed_models(), settings.default_model, settings.fallback_models,
        env=settings.provider_env(dict(os.environ)),
        compat_endpoints=settings.compat_map(),
        extra_builders={"extractive": extractive_builder(archive.embedder),
                        "local": build_local},
    )


def build_avatar(settings: Settings, archive: Archive, persona: Persona,
                 judge: StanceJudge | None = None) -> Avatar:
    """The avatar over this archive with the configured models (and a stance judge)."""
    return Avatar(persona, archive.search, model_registry(settings, archive),
                  first_token_timeout=settings.first_token_timeout,
                  total_timeout=settings.total_timeout,
                  suggest_topics=lambda: archive.topics().labels(),
                  embedder=archive.embedder, judge=judge)
