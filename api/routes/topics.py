"""GET /v1/topics: the topic map of the archive (clusters and terms with post counts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from api.state import AppState, app_state

router = APIRouter(prefix="/v1", tags=["meta"])


@router.get("/topics")
async def topics(state: AppState = Depends(app_state)) -> dict[str, Any]:
    """Topics the author writes about (label, terms, post count, example posts) and top terms."""
    topic_map = await run_in_threadpool(state.archive.topics)
    return topic_map.to_json()
