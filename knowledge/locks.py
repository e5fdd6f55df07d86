"""Process locks in the data dir: one writer per archive, and who serves an embedded one."""

from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path
from typing import IO, Any

WRITE_LOCK = "write.lock"
SERVE_LOCK = "serve.lock"


class ArchiveHeld(RuntimeError):
    """Another process (a running server) holds the embedded archive."""


class FileLock:
    """An exclusive flock on one file; what the holder wrote in it names the holder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self._local = threading.Lock()  # flock is per open file: threads need their own

    def acquire(self, blocking: bool = True, holder: dict[str, Any] | None = None) -> bool:
        """Take the lock (waiting unless blocking is False); True when taken."""
        if not self._local.acquire(blocking):
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            self._local.release()
            return False
        if holder is not None:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(holder))
            handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        """Let the next process in."""
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
            self._local.release()

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def holder(self) -> dict[str, Any] | None:
        """What the current holder wrote, or None when nobody (else) holds the lock."""
        if not self.path.exists() or self._file is not None:
            return None
        with self.path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                try:
                    found = json.loads(handle.read() or "{}")
                except ValueError:
                    found = {}
                return found if isinstance(found, dict) else {}
            fcntl.flock(handle, fcntl.LOCK_UN)
            return None


def serve_lock(data_dir: Path) -> FileLock:
    """The lock a server takes on an embedded archive for as long as it runs."""
    return FileLock(data_dir / SERVE_LOCK)


def claim_for_server(data_dir: Path, url: str) -> FileLock:
    """Take the serve lock for this process, or raise ArchiveHeld naming the other server."""
    lock = serve_lock(data_dir)
    if not lock.acquire(blocking=False, holder={"pid": os.getpid(), "url": url}):
        raise ArchiveHeld(held_message(data_dir, lock.holder() or {}, "serve it again"))
    return lock


def refuse_if_served(data_dir: Path) -> None:
    """Raise ArchiveHeld when a server holds this embedded archive (its index is in memory)."""
    holder = serve_lock(data_dir).holder()
    if holder is not None:
        raise ArchiveHeld(held_message(data_dir, holder, "change it from another process"))


def held_message(data_dir: Path, holder: dict[str, Any], what: str) -> str:
    """Who holds the archive and what to do instead."""
    pid = holder.get("pid", "?")
    url = holder.get("url", "")
    at = f" at {url}" if url else ""
    return (f"the archive in {data_dir} is held by `avatar serve` (pid {pid}{at}): an "
            f"embedded archive cannot {what} while it runs, because the server keeps its "
            f"vector index in memory. Add or remove posts through that server (POST "
            f"{url or '<server>'}/v1/posts with the admin token, or `/avatar add` in Slack), "
            "or stop it first; for several processes use a Chroma server (AVATAR_CHROMA_URL).")
