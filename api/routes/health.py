"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.state import AppState, app_state
from knowledge.integrity import check

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(state: AppState = Depends(app_state)) -> dict[str, Any]:
    """The index is open and answering, with its integrity (`avatar check` without the probe)."""
    report = check(state.archive, probe=False)
    return {"status": "ready" if report.ok else "degraded", "chunks": report.chunks,
            "persona": state.persona.name, "integrity": report.to_json()}
