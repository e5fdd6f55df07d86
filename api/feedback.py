"""Readers' helpful / not-helpful votes, kept as JSON lines in the data dir."""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FEEDBACK_FILE = "feedback.jsonl"


class FeedbackStore:
    """Append-only feedback records (question, reply, model, citations, helpful, surface)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Appends from several request threads must not interleave half-written lines.
        self._lock = threading.Lock()

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> FeedbackStore:
        """The store at `<data_dir>/feedback.jsonl`."""
        return cls(data_dir / FEEDBACK_FILE)

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append one record (stamped with the time received); returns what was stored."""
        stored = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **record}
        line = json.dumps(stored, ensure_ascii=False, default=str)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return stored

    def read(self, limit: int = 100) -> list[dict[str, Any]]:
        """The last `limit` records, newest first; unreadable lines are skipped."""
        if limit <= 0 or not self.path.exists():
            return []
        with self._lock, self.path.open(encoding="utf-8") as handle:
            lines = deque(handle, maxlen=limit)
        records = []
        for line in reversed(lines):
            try:
                record = json.loads(line)
            except ValueError:
                log.warning("skipping a damaged line in %s", self.path)
                continue
            if isinstance(record, dict):
                records.append(record)
        return records
