"""What the app holds for its lifetime, reached from routes through the request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from api.settings import Settings
from knowledge.archive import Archive
from persona.persona import Persona


@dataclass
class AppState:
    """The long-lived objects the lifespan opens once."""

    settings: Settings
    archive: Archive
    persona: Persona


def app_state(request: Request) -> AppState:
    """FastAPI dependency: the app's state."""
    state: AppState = request.app.state.avatar
    return state
