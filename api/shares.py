"""Shared conversations: SQLite under the data dir, read by link, removed by their owner."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHARES_FILE = "conversations.sqlite3"
_SCHEMA = """CREATE TABLE IF NOT EXISTS shares (
    id TEXT PRIMARY KEY, owner_hash TEXT NOT NULL, created REAL NOT NULL,
    expires REAL NOT NULL, body TEXT NOT NULL)"""


@dataclass(frozen=True)
class Shared:
    """One stored conversation as a reader opening its link gets it."""

    id: str
    created: float
    expires: float
    body: dict[str, Any]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareStore:
    """Conversations by unguessable id; there is deliberately no way to list them."""

    def __init__(self, path: Path, ttl_seconds: int) -> None:
        self.path = path
        self.ttl = ttl_seconds
        self._lock = threading.Lock()

    @classmethod
    def in_data_dir(cls, data_dir: Path, ttl_seconds: int) -> ShareStore:
        """The store at `<data_dir>/conversations.sqlite3`."""
        return cls(data_dir / SHARES_FILE, ttl_seconds)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute(_SCHEMA)
        return db

    def add(self, body: dict[str, Any]) -> tuple[Shared, str]:
        """Store a conversation; returns it and the owner token (shown once, kept hashed)."""
        share_id, owner = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        now = time.time()
        shared = Shared(share_id, now, now + self.ttl, body)
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM shares WHERE expires <= ?", (now,))
            db.execute("INSERT INTO shares VALUES (?, ?, ?, ?, ?)",
                       (share_id, _hash(owner), now, shared.expires,
                        json.dumps(body, ensure_ascii=False)))
        return shared, owner

    def get(self, share_id: str) -> Shared | None:
        """The conversation, or None when there is none (or it has expired)."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT created, expires, body FROM shares WHERE id = ?",
                             (share_id,)).fetchone()
        if row is None or row[1] <= time.time():
            return None
        return Shared(share_id, row[0], row[1], json.loads(row[2]))

    def remove(self, share_id: str, owner: str) -> bool | None:
        """Delete when `owner` is its token: True; wrong token False; no such share None."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT owner_hash FROM shares WHERE id = ?",
                             (share_id,)).fetchone()
            if row is None:
                return None
            if not hmac.compare_digest(row[0], _hash(owner)):
                return False
            db.execute("DELETE FROM shares WHERE id = ?", (share_id,))
        return True
