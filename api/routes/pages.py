"""The readers' chat page at `/` (also embedded by the widget) and the post lookup it uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse

from api.state import AppState, app_state
from knowledge.post import canonical_url

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
INDEX_HTML = STATIC_DIR / "index.html"

router = APIRouter()


def page_csp(allowed_origins: list[str]) -> str:
    """The chat page's policy: its own scripts only, framed only by the allowed origins."""
    ancestors = " ".join(["'self'", *(o for o in allowed_origins if _is_origin(o))])
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


def _is_origin(value: str) -> bool:
    # Never let a configured value smuggle another directive (or a wildcard) into the header.
    return value.startswith(("http://", "https://")) and not any(
        c in value for c in ";, \t\r\n'\"*")


@router.get("/", include_in_schema=False)
def chat_page(state: AppState = Depends(app_state)) -> FileResponse:
    """The chat page (`?embed=1` for the widget's compact layout, `?debate=<post>`)."""
    headers = {
        "Content-Security-Policy": page_csp(state.settings.allowed_origins),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cache-Control": "no-cache",
    }
    return FileResponse(INDEX_HTML, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/v1/posts/lookup", tags=["posts"])
async def lookup_post(post: str = Query(..., alias="id", min_length=1, max_length=2000,
                                        description="a post's URL or id"),
                      state: AppState = Depends(app_state)) -> dict[str, Any]:
    """One indexed post's id, title, URL and date (for "debate this post" links), or 404."""
    wanted = post.strip()
    candidates = [wanted]
    if wanted.lower().startswith(("http://", "https://")):
        candidates.append(canonical_url(wanted))
    heads = await run_in_threadpool(state.archive.store.heads_of, list(dict.fromkeys(candidates)))
    if not heads:
        raise HTTPException(404, "no such post in the archive")
    head = heads[0]
    return {"post_id": str(head.get("post_id", "")), "title": str(head.get("title", "")),
            "url": str(head.get("url", "")), "published": str(head.get("published", "")) or None}


@router.get("/v1/widget", tags=["meta"])
def widget_check(request: Request, origin: str = Query(..., max_length=300,
                                                       description="the embedding page's origin"),
                 state: AppState = Depends(app_state)) -> JSONResponse:
    """Whether the chat page may be framed by `origin` (AVATAR_ALLOWED_ORIGINS), so the widget
    can tell the site's owner (console) and the reader (a polite note) instead of failing."""
    wanted = origin.strip().rstrip("/")
    own = str(request.base_url).rstrip("/")
    allowed = wanted == own or wanted in [o.rstrip("/") for o in state.settings.allowed_origins
                                          if _is_origin(o)]
    body = {"allowed": allowed, "name": state.persona.name, "page": own + "/"}
    # Anyone may ask: the answer is public, and the widget asks before it is allowed.
    return JSONResponse(body, headers={"Access-Control-Allow-Origin": "*",
                                       "Cache-Control": "no-store"})
