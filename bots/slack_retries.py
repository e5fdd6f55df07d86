"""Slack re-sends an event it thinks went unanswered; each event must be answered once."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)


class SeenEvents:
    """Event ids seen recently (Slack retries within minutes; an hour is plenty)."""

    def __init__(self, ttl: float = 3600.0, capacity: int = 20_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._capacity = capacity
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        """Record the id; True only the first time it is seen within the ttl."""
        now = self._clock()
        with self._lock:
            while self._seen and (len(self._seen) >= self._capacity
                                  or next(iter(self._seen.values())) < now - self._ttl):
                self._seen.popitem(last=False)
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            return True


def retry_guard(seen: SeenEvents) -> Callable[..., Awaitable[Any]]:
    """Bolt middleware: a repeated event id is acknowledged (200) and not processed again."""

    async def guard(body: dict[str, Any], next_: Callable[[], Awaitable[Any]],
                    request: Any) -> Any:
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not seen.first_time(str(event_id)):
            retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("ignoring Slack retry %s of event %s", retry, event_id)
            return BoltResponse(status=200, body="")
        return await next_()

    return guard
