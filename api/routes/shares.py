"""/v1/conversations: share a conversation as a read-only link; its owner may remove it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Response
from fastapi.concurrency import run_in_threadpool

from api.limits import rate_limited
from api.share_schemas import ConversationIn, ConversationOut, SharedOut
from api.shares import Shared
from api.state import AppState, app_state

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])
PATH = "/v1/conversations"
MAX_BODY = 512_000
ShareId = Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def _iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def _link(shared: Shared) -> dict[str, str]:
    return {"id": shared.id, "url": f"/?c={shared.id}", "expires_at": _iso(shared.expires)}


@router.post("", status_code=201, response_model=SharedOut,
             dependencies=[Depends(rate_limited)])
async def share(body: ConversationIn, state: AppState = Depends(app_state)) -> SharedOut:
    """Store the conversation; the reply's `owner_token` is the only way to remove it."""
    shared, owner = await run_in_threadpool(state.shares.add, body.model_dump())
    return SharedOut(**_link(shared), owner_token=owner)


@router.get("/{share_id}", response_model=ConversationOut)
async def shared(share_id: str = ShareId,
                 state: AppState = Depends(app_state)) -> ConversationOut:
    """A shared conversation, read-only; 404 when unknown, removed or expired."""
    found = await run_in_threadpool(state.shares.get, share_id)
    if found is None:
        raise HTTPException(404, "this conversation is not shared (any more)")
    return ConversationOut(**_link(found), **found.body, created_at=_iso(found.created))


@router.delete("/{share_id}", status_code=204, response_class=Response)
async def unshare(share_id: str = ShareId, owner: str = Header(..., alias="X-Owner-Token"),
                  state: AppState = Depends(app_state)) -> Response:
    """Remove a shared conversation: its owner's token only."""
    done = await run_in_threadpool(state.shares.remove, share_id, owner)
    if done is None:
        raise HTTPException(404, "this conversation is not shared (any more)")
    if not done:
        raise HTTPException(403, "only the owner of this link can remove it")
    return Response(status_code=204)
