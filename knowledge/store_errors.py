"""A Chroma store that cannot be opened, said in one line that names the file and the fix."""

from __future__ import annotations


class ArchiveDamaged(RuntimeError):
    """The archive's Chroma store cannot be opened or read."""


def damaged_message(location: str, exc: BaseException, embedded: bool) -> str:
    """One line: what failed, where, and what to do."""
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    if embedded:
        return (f"cannot open the Chroma database in {location} (chroma.sqlite3): "
                f"{type(exc).__name__}: {reason}. Restore that folder from a backup, or move "
                "it away and re-ingest the sources (the keyword index rebuilds by itself)")
    return (f"cannot open the Chroma collection on {location}: {type(exc).__name__}: "
            f"{reason}. Check that the server runs and is reachable (AVATAR_CHROMA_URL)")
