"""GET /v1/search: the archive's hybrid search over HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from api.public_source import cleaned
from api.state import AppState, app_state

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search")
async def search(
    q: str = Query(..., min_length=1, max_length=1000, description="what to look for"),
    k: int = Query(5, ge=1, le=50),
    since: date | None = Query(None, description="only posts published on or after"),
    until: date | None = Query(None, description="only posts published on or before"),
    tag: list[str] = Query(default_factory=list, description="only posts with these tags"),
    state: AppState = Depends(app_state),
) -> list[dict[str, Any]]:
    """Posts that answer the query, best first; an empty list when the archive is silent."""
    hits = await run_in_threadpool(state.archive.search, q, k, since, until, tuple(tag))
    return [cleaned(h.to_json()) for h in hits]
