"""Editor endpoints (admin token): list, add and remove posts, re-sync feeds, poll jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api import services
from api.auth import require_admin
from api.editing import ingest_posts_work, inline_post, read_and_ingest_work
from api.jobs import Job
from api.scheduler import submit_sync
from api.schemas import JobOut, NewPost
from api.state import AppState, app_state

router = APIRouter(prefix="/v1", tags=["editors"], dependencies=[Depends(require_admin)],
                   responses={401: {"description": "Missing or wrong admin token."},
                              403: {"description": "No admin token is configured."}})


def _accepted(job: Job) -> JSONResponse:
    return JSONResponse(job.to_json(), status_code=202,
                        headers={"Location": f"/v1/jobs/{job.id}"})


@router.get("/posts")
def list_posts(offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500),
               state: AppState = Depends(app_state)) -> dict[str, Any]:
    """Indexed posts, newest first, a page at a time."""
    posts = state.archive.posts()
    return {"total": len(posts), "offset": offset, "limit": limit,
            "posts": [p.to_json() for p in posts[offset : offset + limit]]}


@router.post("/posts", status_code=202, response_model=JobOut)
def add_post(body: NewPost, state: AppState = Depends(app_state)) -> JSONResponse:
    """Add or update posts from a URL (page, feed, sitemap) or inline; returns a job to poll."""
    if body.inline:
        post = inline_post(body.title or "", body.text or "", url=body.url or "",
                           published=body.date, tags=body.tags)
        return _accepted(state.jobs.submit("add", ingest_posts_work(state.archive, [post])))
    settings = state.settings
    work = read_and_ingest_work(state.archive, [body.url or ""],
                                lambda: services.make_fetcher(settings))
    return _accepted(state.jobs.submit("add", work))


@router.delete("/posts/{post_id:path}")
async def remove_post(post_id: str, state: AppState = Depends(app_state)) -> dict[str, int]:
    """Remove a post and all its chunks (ids are URLs: the path keeps its slashes)."""
    removed = await run_in_threadpool(state.archive.remove, [post_id])
    return {"removed": removed}


@router.post("/sync", status_code=202, response_model=JobOut)
def sync(state: AppState = Depends(app_state)) -> JSONResponse:
    """Re-read the persona's feeds in the background; returns the job to poll."""
    if not state.persona.feeds:
        raise HTTPException(400, f"the persona {state.persona.name!r} lists no feeds to sync")
    return _accepted(submit_sync(state))


@router.get("/jobs/{job_id}", response_model=JobOut)
def job(job_id: str, state: AppState = Depends(app_state)) -> dict[str, Any]:
    """A background job: queued, running, done (with its report) or failed (with the error)."""
    found = state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id!r} (jobs are kept while the server runs)")
    return found.to_json()
