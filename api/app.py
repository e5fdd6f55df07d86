"""The FastAPI app factory: every surface of the avatar over HTTP."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import services
from api.routes import health, search
from api.settings import Settings
from api.state import AppState

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the lifespan opens the index and persona once."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.avatar = AppState(
            settings=settings,
            archive=services.open_archive(settings),
            persona=services.persona_of(settings),
        )
        yield

    app = FastAPI(title="Debate Avatar", version="0.1.0", lifespan=lifespan)
    app.include_router(health.router)
    app.include_router(search.router)
    return app
