"""POST /v1/chat, /v1/debate, /v1/reflect: talk to the avatar (JSON or server-sent events)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from api.conversation import converse
from api.limits import rate_limited
from api.schemas import ChatRequest, DebateRequest, ReflectRequest, ReplyOut
from api.state import AppState, app_state

router = APIRouter(prefix="/v1", tags=["conversation"], dependencies=[Depends(rate_limited)])

STREAM_DOC = (
    "With `Accept: text/event-stream` or `stream: true`: `event: token` frames "
    '(`{"text": ...}`), then `event: citations` (`{"citations": [...]}`), then `event: done` '
    '(the reply JSON); or `event: error` (`{"message": ...}`) when the backend fails.'
)
REPLY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": ReplyOut, "description": "The reply.",
          "content": {"text/event-stream": {"schema": {"type": "string"},
                                            "example": 'event: token\ndata: {"text": "I"}\n\n'}}},
    400: {"description": "Unknown or disallowed model (the allowed ones are named)."},
    413: {"description": "Request body too large."},
    422: {"description": "Invalid body, or message too long."},
    429: {"description": "Too many requests from this client (see Retry-After)."},
    502: {"description": "No model could answer."},
}


@router.post("/chat", responses=REPLY_RESPONSES, response_model=None,
             summary="Ask what the author thinks", description=STREAM_DOC)
async def chat(body: ChatRequest, request: Request,
               state: AppState = Depends(app_state)) -> Response:
    """A reply in the author's voice, grounded in his posts, with citations."""
    return await converse(state, request, "ask", body.message, body.history, body.model,
                          stream=body.stream)


@router.post("/debate", responses=REPLY_RESPONSES, response_model=None,
             summary="Debate the author", description=STREAM_DOC)
async def debate(body: DebateRequest, request: Request,
                 state: AppState = Depends(app_state)) -> Response:
    """The author's stance, the reader's case restated, and a rebuttal from his own posts."""
    return await converse(state, request, "debate", body.message, body.history, body.model,
                          body.side, body.stream, body.motion)


@router.post("/reflect", responses=REPLY_RESPONSES, response_model=None,
             summary="A short post on a news item", description=STREAM_DOC)
async def reflect(body: ReflectRequest, request: Request,
                  state: AppState = Depends(app_state)) -> Response:
    """A short post in the author's manner on news text or a URL, linking earlier posts."""
    return await converse(state, request, "reflect", body.message, model=body.model,
                          stream=body.stream)
