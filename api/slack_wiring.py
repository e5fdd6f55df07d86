"""Connect the Slack bot to this server's avatar, archive, editors' jobs and feedback store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from api import services
from api.editing import read_and_ingest_work
from api.feedback import FeedbackStore
from api.jobs import JobRunner
from api.settings import Settings
from bots.slack_app import build_slack_app
from bots.slack_client import make_web_client, socket_mode_handler
from bots.slack_services import AddSources, BotServices
from knowledge.archive import Archive
from persona.avatar import Avatar

ADD_TIMEOUT = 1800.0  # seconds an editor's add may take before the bot stops waiting


def slack_services(settings: Settings, archive: Archive, avatar: Avatar,
                   feedback: FeedbackStore, jobs: JobRunner) -> BotServices:
    """The bot's view of the product: the same avatar, archive and stores as the web."""
    return BotServices(
        avatar=avatar, search=archive.search, topics=archive.topics,
        add_sources=job_adder(settings, archive, jobs),
        record_feedback=feedback.add, editors=frozenset(settings.slack_editors),
        max_chars=settings.max_message_chars,
    )


def job_adder(settings: Settings, archive: Archive, jobs: JobRunner) -> AddSources:
    """Adds go through the job runner, the archive's one writer, like the API's adds."""

    async def add(urls: Sequence[str]) -> dict[str, Any]:
        work = read_and_ingest_work(archive, urls, lambda: services.make_fetcher(settings))
        job = jobs.submit("add", work)
        waited = 0.0
        while job.status in ("queued", "running"):
            if waited > ADD_TIMEOUT:
                raise TimeoutError(f"still running after {ADD_TIMEOUT:.0f} s (job {job.id})")
            await asyncio.sleep(0.2)
            waited += 0.2
        if job.status == "failed":
            raise RuntimeError(job.error or "the add failed")
        return job.report or {}

    return add


def slack_configured(settings: Settings, *, socket: bool = False) -> str | None:
    """None when Slack can run; otherwise what is missing, in the operator's terms."""
    needed = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if socket:
        needed["SLACK_APP_TOKEN"] = settings.slack_app_token
    else:
        needed["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    missing = [name for name, value in needed.items() if not value]
    return f"Slack is not configured: set {', '.join(missing)}" if missing else None


def slack_app(settings: Settings, bot: BotServices) -> AsyncApp:
    """The bolt app with a Web API client built here (SLACK_API_URL can redirect it)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    secret = (settings.slack_signing_secret.get_secret_value()
              if settings.slack_signing_secret else "")
    return build_slack_app(bot, make_web_client(token, settings.slack_api_url), secret)


def socket_mode_bot(settings: Settings, archive: Archive | None = None,
                    ) -> tuple[AsyncSocketModeHandler, JobRunner]:
    """Socket Mode (no public URL needed): the handler, not yet connected, and its job runner."""
    opened = archive if archive is not None else services.open_archive(settings)
    avatar = services.build_avatar(settings, opened, services.persona_of(settings))
    jobs = JobRunner()
    bot = slack_services(settings, opened, avatar,
                         FeedbackStore.in_data_dir(settings.data_dir), jobs)
    token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    return socket_mode_handler(slack_app(settings, bot), token), jobs
