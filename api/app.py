"""The FastAPI app factory: every surface of the avatar over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api import services
from api.feedback import FeedbackStore
from api.jobs import JobRunner
from api.limits import BodyLimitMiddleware, RateLimiter
from api.routes import (
    completions,
    conversation,
    docs,
    feedback,
    health,
    meta,
    pages,
    posts,
    search,
    shares,
    slack,
    suggestions,
    topics,
)
from api.scheduler import start_schedule
from api.security_headers import SecurityHeadersMiddleware
from api.settings import Settings
from api.shares import ShareStore
from api.slack_wiring import open_slack
from api.state import AppState
from api.text_input import validation_failed
from knowledge.archive import Archive
from knowledge.locks import claim_for_server
from persona.model_types import ModelNotAllowed

os.environ.setdefault("HF_HUB_OFFLINE", "1")

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, archive: Archive | None = None,
               public_url: str = "") -> FastAPI:
    """Build the app; the lifespan opens the index, persona and models once.

    `archive` lets a caller (tests, an embedding process) hand over an archive it has
    already opened; by default the lifespan opens the one the settings name (and, when it
    is embedded, holds it for as long as it runs, so a CLI writer is told to come here;
    `public_url` is where, for that message).
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        held = None
        if archive is None and not settings.chroma_url:
            held = claim_for_server(settings.data_dir, public_url)
        try:
            state = await _open_state(settings, archive)
        except BaseException:
            if held is not None:
                held.release()
            raise
        app.state.avatar = state
        state.jobs.start()
        schedule = start_schedule(state)
        socket = state.slack.socket
        # Socket Mode: this process is the bot. Connecting (and slack_sdk's reconnecting
        # after a failure, with logs) goes on in the background; the page serves meanwhile.
        connecting = asyncio.create_task(socket.connect_async()) if socket else None
        try:
            yield
        finally:
            if socket is not None and connecting is not None:
                connecting.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await connecting
                await socket.close_async()
            if schedule is not None:
                schedule.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await schedule
            await asyncio.to_thread(state.jobs.stop)
            if held is not None:
                held.release()

    app = FastAPI(title="Debate Avatar", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Ask and debate an author's avatar, grounded in his own posts.")
    for module in (health, search, meta, topics, conversation, completions, feedback, posts,
                   shares, suggestions, pages, slack):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    docs.mount_docs(app)
    app.add_exception_handler(ModelNotAllowed, _model_not_allowed)
    app.add_exception_handler(RequestValidationError, validation_failed)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       per_path={slack.PATH: slack.MAX_BODY, shares.PATH: shares.MAX_BODY})
    app.add_middleware(SecurityHeadersMiddleware, allowed_origins=settings.allowed_origins)
    if settings.allowed_origins:
        # Added last, so it is outermost: even a 413 or 429 carries the CORS headers.
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"], max_age=600)
    return app


async def _open_state(settings: Settings, archive: Archive | None) -> AppState:
    opened = archive
    if opened is None:
        opened = await asyncio.to_thread(services.open_archive, settings)
        # The archive loads its model on first use; a server loads it now, not on a reader.
        await asyncio.to_thread(opened.embedder.embed, ["warm up"])
    persona = services.persona_of(settings)
    avatar = services.build_avatar(settings, opened, persona)
    # Building each client now imports its library (seconds), instead of on a first reader.
    for name, reason in await asyncio.to_thread(avatar.registry.warm_up):
        log.warning("model %s is not usable yet: %s", name, reason)
    state = AppState(
        settings=settings, archive=opened, persona=persona, avatar=avatar,
        registry=avatar.registry, feedback=FeedbackStore.in_data_dir(settings.data_dir),
        jobs=JobRunner(), limiter=RateLimiter(settings.rate_limit_per_minute),
        shares=ShareStore.in_data_dir(settings.data_dir, settings.share_ttl),
    )
    state.slack = open_slack(settings, opened, avatar, state.feedback, state.jobs,
                             state.limiter)
    return state


async def _model_not_allowed(request: Request, exc: Exception) -> JSONResponse:
    """A 400 naming the allowed models, for any route that did not check first."""
    assert isinstance(exc, ModelNotAllowed)
    detail = f"unknown or disallowed model {exc.model!r}; allowed: {', '.join(exc.allowed)}"
    return JSONResponse({"detail": detail}, status_code=400)
