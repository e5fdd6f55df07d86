"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.state import AppState, app_state

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(state: AppState = Depends(app_state)) -> dict[str, Any]:
    """The index is open and answering."""
    return {"status": "ready", "chunks": state.archive.store.count(),
            "persona": state.persona.name}
