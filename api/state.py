"""What the app holds for its lifetime, reached from routes through the request."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from api.auth import FAILED_TOKENS_PER_MINUTE
from api.feedback import FeedbackStore
from api.jobs import JobRunner
from api.limits import RateLimiter
from api.settings import Settings
from api.shares import ShareStore
from api.slack_wiring import SlackSurfaces
from knowledge.archive import Archive
from persona.avatar import Avatar
from persona.models import ModelRegistry
from persona.persona import Persona


@dataclass
class AppState:
    """The long-lived objects the lifespan opens once."""

    settings: Settings
    archive: Archive
    persona: Persona
    avatar: Avatar
    registry: ModelRegistry
    feedback: FeedbackStore
    jobs: JobRunner
    limiter: RateLimiter
    shares: ShareStore
    # Wrong admin tokens per client (see api.auth): guessing is slowed, typos are not.
    auth_failures: RateLimiter = field(default_factory=lambda: RateLimiter(
        FAILED_TOKENS_PER_MINUTE))
    live_streams: int = 0  # streamed replies in flight (a reader that leaves ends one)
    slack: SlackSurfaces = field(default_factory=SlackSurfaces)


def app_state(request: Request) -> AppState:
    """FastAPI dependency: the app's state."""
    state: AppState = request.app.state.avatar
    return state
