"""POST /v1/suggestions: follow-ups for the reply just given, from the archive."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from api.limits import check_message_length, rate_limited
from api.state import AppState, app_state
from api.suggestions import follow_ups
from api.text_input import UnicodeInput

router = APIRouter(prefix="/v1", tags=["conversation"])


class SuggestionsIn(UnicodeInput):
    """The question just answered, the posts its reply cited, and the motion in a debate."""

    question: str = Field(min_length=1)
    mode: Literal["ask", "debate"] = "ask"
    cited: list[str] = Field(default_factory=list, max_length=30,
                             description="post_id of each citation of the reply")
    motion: str = Field("", max_length=2000)


@router.post("/suggestions", dependencies=[Depends(rate_limited)])
async def suggestions(body: SuggestionsIn,
                      state: AppState = Depends(app_state)) -> dict[str, list[dict[str, Any]]]:
    """Two or three follow-ups: an uncited related post, the strongest objection in his
    writing, and (after a question) debating it; none when the archive is silent."""
    check_message_length(body.question, state.settings.max_message_chars, "question")

    def search(query: str, k: int) -> Any:
        return state.archive.search(query, k)

    found = await run_in_threadpool(follow_ups, search, body.question, body.mode,
                                    body.cited, body.motion)
    return {"suggestions": found}
