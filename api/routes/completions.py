"""POST /v1/chat/completions: the avatar for any OpenAI-compatible client."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from api.conversation import CLIENT_GONE, counted
from api.limits import rate_limited
from api.openai_compat import (
    CompatError,
    CompletionRequest,
    completion,
    completion_chunks,
    error_body,
    prompt_text,
    requested_model,
    split_messages,
)
from api.sse import EventStream, unless_disconnected
from api.state import AppState, app_state
from persona.model_types import ModelNotAllowed
from persona.replies import ErrorEvent, final_reply

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "A `chat.completion` (or, with `stream: true`, `chat.completion.chunk` "
                         "events ending `data: [DONE]`), with an extra `citations` field.",
          "content": {"text/event-stream": {"schema": {"type": "string"}}}},
    400: {"description": "Unknown model, or no user message last."},
    422: {"description": "Invalid body, or the question is too long."},
    429: {"description": "Too many requests from this client (see Retry-After)."},
    502: {"description": "No model could answer."},
}


@router.post("/chat/completions", responses=RESPONSES, response_model=None,
             dependencies=[Depends(rate_limited)], summary="OpenAI-compatible chat")
async def chat_completions(body: CompletionRequest, request: Request,
                           state: AppState = Depends(app_state)) -> Response:
    """The last user message is the question, earlier messages the history."""
    try:
        question, history = split_messages(body.messages)
    except CompatError as exc:
        return JSONResponse(error_body(str(exc), param="messages"), status_code=400)
    limit = state.settings.max_message_chars
    if limit > 0 and len(question) > limit:
        message = f"message too long: {len(question)} characters; the limit is {limit}"
        return JSONResponse(error_body(message, param="messages"), status_code=422)
    try:
        events = state.avatar.stream(body.mode, question, history,
                                     requested_model(body.model))
    except ModelNotAllowed as exc:
        message = (f"unknown or disallowed model {exc.model!r}; allowed: "
                   f"{', '.join(exc.allowed)} (or \"avatar\" for the default)")
        return JSONResponse(error_body(message, param="model"), status_code=400)
    model = state.registry.resolve(requested_model(body.model))
    if body.stream:
        chunks = completion_chunks(events, model, prompt_text(body.messages))
        return EventStream(counted(state, chunks))
    finished, outcome = await unless_disconnected(request, final_reply(events))
    if not finished or outcome is None:
        return Response(status_code=CLIENT_GONE)
    if isinstance(outcome, ErrorEvent):
        return JSONResponse(error_body(outcome.message, "server_error"), status_code=502)
    return JSONResponse(completion(outcome, prompt_text(body.messages)))
