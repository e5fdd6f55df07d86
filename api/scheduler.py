"""Feed sync: one job at a time through the job runner, on demand or on a fixed interval."""

from __future__ import annotations

import asyncio
import logging

from api import services
from api.editing import sync_work
from api.jobs import Job
from api.state import AppState

log = logging.getLogger(__name__)

SYNC = "sync"


def submit_sync(state: AppState) -> Job:
    """Queue a re-read of the persona's feeds, or return the sync already queued or running."""
    pending = state.jobs.pending(SYNC)
    if pending is not None:
        return pending
    settings = state.settings
    # Posts gone from a feed read whole are removed too (see knowledge.feed_sync).
    work = sync_work(state.archive, state.persona.feeds, lambda: services.make_fetcher(settings))
    return state.jobs.submit(SYNC, work)


async def sync_every(state: AppState, interval: float) -> None:
    """Sync the persona's feeds every `interval` seconds until cancelled."""
    while True:
        await asyncio.sleep(interval)
        try:
            job = submit_sync(state)
            log.info("scheduled sync: job %s", job.id)
        except Exception:  # one failed submission must not end the schedule
            log.exception("scheduled sync could not start")


def start_schedule(state: AppState) -> asyncio.Task[None] | None:
    """The scheduled sync task when AVATAR_SYNC_INTERVAL is set and there are feeds."""
    interval = state.settings.sync_interval
    if interval <= 0:
        return None
    if not state.persona.feeds:
        log.warning("AVATAR_SYNC_INTERVAL is set but the persona %r lists no feeds",
                    state.persona.name)
        return None
    return asyncio.create_task(sync_every(state, interval), name="avatar-sync")
