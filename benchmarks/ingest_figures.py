"""ADAPTER (adjust when benchmarks/ingest.py gains `--json`): figures from the ingest
benchmark's output.

benchmarks/ingest.py belongs to the scale work and prints its figures as text today. This
reads those lines; when the output also carries a JSON line, its numbers are taken as well
(a `{"figures": [...]}` line as-is, any other object flattened to dotted names, reported
only until targets.py names them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from benchmarks.common import figure

# (figure name, unit, pattern whose first group is the value), one per printed measurement.
LINES = [
    ("tutorial pipeline seconds", "s", r"tutorial pipeline \(same run\): \d+ chunks in ([\d.]+) s"),
    ("ingest seconds", "s", r"^ingest: .*= ([\d.]+) s;"),
    ("ingest time / tutorial", "", r"^ingest: .*-> ratio ([\d.]+)"),
    ("raw encode rate", "chunks/s", r"^encode: raw ([\d.]+) chunks/s"),
    ("ingest rate", "chunks/s", r"^encode: .*ingest ([\d.]+) chunks/s"),
    ("ingest rate / raw encode rate", "", r"^encode: .*-> ratio ([\d.]+)"),
    ("re-ingest seconds", "s", r"^re-ingest unchanged: ([\d.]+) s"),
    ("re-ingest speed-up", "×", r"^re-ingest unchanged: .*-> ([\d.]+)x faster"),
]


def has_json() -> bool:
    """Whether benchmarks/ingest.py offers `--json` yet (read from its argument list)."""
    source = (Path(__file__).parent / "ingest.py").read_text(encoding="utf-8")
    return '"--json"' in source


def parse(stdout: str) -> list[dict[str, object]]:
    """The figures found in the ingest benchmark's stdout (empty when none)."""
    found: dict[str, dict[str, object]] = {}
    for line in stdout.splitlines():
        if line.startswith("{"):
            for fig in _from_json(line):
                found[str(fig["name"])] = fig
    for name, unit, pattern in LINES:
        match = re.search(pattern, stdout, re.MULTILINE)
        if match and name not in found:
            found[name] = figure(name, float(match.group(1)), unit=unit)
    if "ingest time / tutorial" in found and "tutorial pipeline seconds" not in found:
        found["ingest time / tutorial"]["note"] = "against the 165 s of the data README"
    return list(found.values())


def _from_json(line: str) -> list[dict[str, object]]:
    try:
        data = json.loads(line)
    except ValueError:
        return []
    if isinstance(data, dict) and isinstance(data.get("figures"), list):
        return [f for f in data["figures"] if isinstance(f, dict) and "name" in f]
    return [figure(name, value) for name, value in _numbers(data, "")]


def _numbers(data: Any, prefix: str) -> list[tuple[str, float]]:
    if isinstance(data, bool):
        return []
    if isinstance(data, int | float):
        return [(prefix, float(data))]
    if isinstance(data, dict):
        return [pair for key, value in data.items()
                for pair in _numbers(value, f"{prefix}.{key}" if prefix else str(key))]
    return []
