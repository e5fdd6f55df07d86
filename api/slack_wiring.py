"""Connect the Slack bot to this server's avatar, archive, editors' jobs and feedback store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from api import services
from api.editing import read_and_ingest_work
from api.feedback import FeedbackStore
from api.jobs import JobRunner
from api.limits import RateLimiter
from api.settings import Settings
from bots.slack_app import build_slack_app
from bots.slack_client import make_web_client, socket_mode_handler
from bots.slack_services import AddSources, BotServices
from knowledge.archive import Archive
from persona.avatar import Avatar

# Seconds an editor's add may take before the bot stops waiting: under the 30 minutes a
# slash command's response_url lives, so the report can still be delivered.
ADD_TIMEOUT = 1500.0


@dataclass
class SlackSurfaces:
    """Slack as this server runs it: HTTP events, Socket Mode, or off (and why)."""

    http: AsyncSlackRequestHandler | None = None
    socket: AsyncSocketModeHandler | None = None  # built, connected by the app's lifespan
    missing: str | None = None


def open_slack(settings: Settings, archive: Archive, avatar: Avatar, feedback: FeedbackStore,
               jobs: JobRunner, limiter: RateLimiter) -> SlackSurfaces:
    """The bot over the server's own avatar, archive, job runner (its one writer) and store.

    Call on the event loop: the Socket Mode client opens its HTTP session when built.
    """
    missing = slack_configured(settings, socket=settings.slack_socket)
    if missing:
        return SlackSurfaces(missing=missing)
    bot = slack_services(settings, archive, avatar, feedback, jobs, limiter)
    secret = _revealed(settings.slack_signing_secret)
    client = make_web_client(_revealed(settings.slack_bot_token), settings.slack_api_url)
    app = build_slack_app(bot, client, secret)
    surfaces = SlackSurfaces(http=AsyncSlackRequestHandler(app) if secret else None)
    if surfaces.http is None:
        surfaces.missing = "Slack runs over Socket Mode here: set SLACK_SIGNING_SECRET for HTTP"
    if settings.slack_socket:
        surfaces.socket = socket_mode_handler(app, _revealed(settings.slack_app_token))
    return surfaces


def _revealed(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret else ""


def slack_services(settings: Settings, archive: Archive, avatar: Avatar,
                   feedback: FeedbackStore, jobs: JobRunner,
                   limiter: RateLimiter) -> BotServices:
    """The bot's view of the product: the same avatar, archive, stores and rate limit as the web."""
    return BotServices(
        avatar=avatar, search=archive.search, topics=archive.topics,
        add_sources=job_adder(settings, archive, jobs),
        record_feedback=feedback.add, editors=frozenset(settings.slack_editors),
        max_chars=settings.max_message_chars, update_every=settings.slack_update_seconds,
        rate_limit=lambda user: limiter.check("slack:" + user),
    )


def job_adder(settings: Settings, archive: Archive, jobs: JobRunner) -> AddSources:
    """Adds go through the job runner, the archive's one writer, like the API's adds."""

    async def add(urls: Sequence[str]) -> dict[str, Any]:
        work = read_and_ingest_work(archive, urls, lambda: services.make_fetcher(settings))
        job = jobs.submit("add", work)
        waited = 0.0
        while job.status in ("queued", "running"):
            if waited > ADD_TIMEOUT:
                raise TimeoutError(f"the add is still running (job {job.id}); "
                                   "it will finish in the background")
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
