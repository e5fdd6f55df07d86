"""POST /v1/feedback (readers' votes) and GET /v1/feedback (editors read them)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from api.auth import require_admin
from api.limits import check_message_length, rate_limited
from api.schemas import FeedbackIn
from api.state import AppState, app_state

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", status_code=201, dependencies=[Depends(rate_limited)])
async def add_feedback(body: FeedbackIn,
                       state: AppState = Depends(app_state)) -> dict[str, bool]:
    """Store a helpful / not-helpful vote with the question, reply, model and citations."""
    check_message_length(body.question, state.settings.max_message_chars, "question")
    await run_in_threadpool(state.feedback.add, body.model_dump())
    return {"stored": True}


@router.get("/feedback", dependencies=[Depends(require_admin)])
async def read_feedback(limit: int = Query(100, ge=1, le=5000),
                        state: AppState = Depends(app_state)) -> dict[str, Any]:
    """The latest feedback records, newest first (admin token)."""
    records = await run_in_threadpool(state.feedback.read, limit)
    return {"feedback": records}
