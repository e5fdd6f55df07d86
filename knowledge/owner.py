"""Whose archive a data dir is: the persona's name, remembered beside the index."""

from __future__ import annotations

import json
import os
from pathlib import Path

OWNER_FILE = "owner.json"


def read_owner(data_dir: Path) -> str | None:
    """The name the data dir was claimed for, or None when nobody claimed it yet."""
    try:
        found = json.loads((data_dir / OWNER_FILE).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(f"{data_dir / OWNER_FILE} is unreadable ({exc}): delete it and run "
                         "`avatar own` to say whose archive this is") from None
    return str(found.get("name", "")) or None


def write_owner(data_dir: Path, name: str) -> None:
    """Record (atomically) that the data dir belongs to name."""
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{OWNER_FILE}.{os.getpid()}"
    tmp.write_text(json.dumps({"name": name}))
    os.replace(tmp, data_dir / OWNER_FILE)
