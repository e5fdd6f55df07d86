"""POST /slack/events: Slack's Events API, slash commands and button clicks (HTTP mode)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from api.state import AppState, app_state

router = APIRouter(tags=["slack"])
PATH = "/slack/events"
MAX_BODY = 1_000_000  # a 40,000-character message arrives twice (text and blocks), escaped


@router.post(PATH, include_in_schema=False)
async def slack_events(request: Request, state: AppState = Depends(app_state)) -> Response:
    """Hand the signed request to the bolt app (which checks the signature first)."""
    if state.slack is None:
        raise HTTPException(404, state.slack_missing or "Slack is not configured")
    return await state.slack.handle(request)
