"""The near-duplicate index: every group's members and LSH band keys, kept beside the BM25 files.

Chroma holds the truth (each group's chunk 0 carries its members and bands); this index is a
saved copy stamped with the archive generation it matches, so an unchanged re-ingest knows
every member id and hash without asking Chroma, and a new post finds its candidate
near-duplicates by a few dictionary probes. A stale or damaged copy is rebuilt from Chroma.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.post_groups import Group, Member

log = logging.getLogger(__name__)

INDEX_FILE = "groups.json"


class GroupIndex:
    """Groups by id, by member id and by band key."""

    def __init__(self, generation: str = "") -> None:
        self.generation = generation
        self._groups: dict[str, Group] = {}
        self._member_of: dict[str, str] = {}
        self._by_band: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._groups)

    def group(self, group_id: str) -> Group | None:
        """The group stored under this id."""
        return self._groups.get(group_id)

    def of_member(self, member_id: str) -> Group | None:
        """The group a member (a post id or URL id) belongs to."""
        gid = self._member_of.get(member_id)
        return self._groups.get(gid) if gid is not None else None

    def candidates(self, bands: Iterable[str]) -> list[str]:
        """Ids of groups sharing at least one band key (sorted, for a stable choice)."""
        found: set[str] = set()
        for key in bands:
            found |= self._by_band.get(key, set())
        return sorted(found)

    def without_bands(self) -> list[Group]:
        """Groups stored before near-duplicates were detected (no band keys yet)."""
        return [g for g in self._groups.values() if not g.bands]

    def members_from(self, source: str) -> list[Member]:
        """Every member read from this source (a feed URL, a file path)."""
        return [m for g in self._groups.values() for m in g.members if source in m.sources]

    def put(self, group: Group) -> None:
        """Add or replace a group (under its current id)."""
        self.drop(group.id)
        self._groups[group.id] = group
        for m in group.members:
            self._member_of[m.id] = group.id
        for key in group.bands:
            self._by_band.setdefault(key, set()).add(group.id)

    def drop(self, group_id: str) -> None:
        """Forget a group and its members."""
        old = self._groups.pop(group_id, None)
        if old is None:
            return
        for m in old.members:
            if self._member_of.get(m.id) == group_id:
                del self._member_of[m.id]
        for key in old.bands:
            holders = self._by_band.get(key)
            if holders is not None:
                holders.discard(group_id)
                if not holders:
                    del self._by_band[key]

    # -- persistence ---------------------------------------------------------------------

    def save(self, folder: Path, generation: str) -> None:
        """Write the index stamped with generation (atomically: a reader sees old or new)."""
        folder.mkdir(parents=True, exist_ok=True)
        data = {"generation": generation,
                "groups": [{"id": g.id, "bands": list(g.bands), "labels": g.labels,
                            "members": [m.to_json() for m in g.members]}
                           for g in self._groups.values()]}
        temp = folder / f".{INDEX_FILE}-{os.getpid()}-{threading.get_ident()}"
        temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, folder / INDEX_FILE)
        self.generation = generation

    @classmethod
    def load(cls, folder: Path) -> GroupIndex | None:
        """The saved index, or None when it is missing or damaged."""
        try:
            data = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
            index = cls(str(data["generation"]))
            for row in data["groups"]:
                index.put(Group(str(row["id"]), [Member.from_json(m) for m in row["members"]],
                                tuple(str(b) for b in row["bands"]), str(row.get("labels", ""))))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("near-duplicate index %s is damaged (%s); rebuilding it from Chroma",
                        folder / INDEX_FILE, exc)
            return None
        return index

    @classmethod
    def from_heads(cls, heads: Iterable[dict[str, Any]], generation: str) -> GroupIndex:
        """The index rebuilt from every post's chunk-0 metadata."""
        index = cls(generation)
        for meta in heads:
            index.put(Group.from_metadata(meta))
        return index
