"""POST /slack/events: Slack's Events API, slash commands and button clicks (HTTP mode)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from api.state import AppState, app_state
from bots.slack_signature import is_valid_signature

log = logging.getLogger(__name__)
router = APIRouter(tags=["slack"])
PATH = "/slack/events"
MAX_BODY = 1_000_000  # a 40,000-character message arrives twice (text and blocks), escaped


@router.post(PATH, include_in_schema=False)
async def slack_events(request: Request, state: AppState = Depends(app_state)) -> Response:
    """Check Slack's signature, then hand the request to the bolt app."""
    handler = state.slack.http
    if handler is None or state.settings.slack_signing_secret is None:
        raise HTTPException(404, state.slack.missing or "Slack is not configured")
    body = await request.body()
    # Checked on the raw bytes before bolt (or anything) decodes the body, so an unsigned
    # body can do nothing, not even fail.
    if not is_valid_signature(state.settings.slack_signing_secret.get_secret_value(), body,
                              request.headers.get("x-slack-request-timestamp"),
                              request.headers.get("x-slack-signature")):
        raise HTTPException(401, "invalid or missing Slack signature")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "unreadable Slack request body: not UTF-8") from None
    try:
        return await handler.handle(request)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("unreadable Slack request: %s: %s", type(exc).__name__, exc)
        raise HTTPException(400, "unreadable Slack request body") from None
