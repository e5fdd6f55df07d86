"""ADAPTER (adjust when benchmarks/ingest.py changes): figures from the ingest benchmark.

benchmarks/ingest.py belongs to the scale work. Without `--json` it prints its figures as
text lines, read here by pattern; with `--json` (the scale branch) it prints one JSON object
of nested figures, whose keys ALIASES names. A key or a line that changes simply stops
answering, and the table then shows the target as missing.
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
# JSON key path (dotted) -> (figure name, unit), for the scale branch's `--json` object.
ALIASES = {
    "ingest.total_s": ("ingest seconds", "s"),
    "ingest.peer_ratio": ("ingest time / tutorial", ""),
    "ingest.raw_encode_chunks_per_s": ("raw encode rate", "chunks/s"),
    "ingest.chunks_per_s": ("ingest rate", "chunks/s"),
    "ingest.encode_ratio": ("ingest rate / raw encode rate", ""),
    "ingest.reingest_s": ("re-ingest seconds", "s"),
    "ingest.reingest_speedup": ("re-ingest speed-up", "×"),
    "scale.ingest.seconds": ("synthetic archive ingest seconds", "s"),
    "scale.ingest.chunks_per_s_per_core": ("synthetic archive chunks/s per core", "chunks/s"),
    "scale.raw_encode.chunks_per_s_per_core": ("synthetic archive raw encode per core",
                                               "chunks/s"),
    "scale.search.p50_ms": ("synthetic archive search p50", "ms"),
    "scale.search.p95_ms": ("synthetic archive search p95", "ms"),
    "scale.search.peak_rss_mb": ("synthetic archive serving peak RSS", "MB"),
}


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
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("figures"), list):
        return [f for f in data["figures"] if isinstance(f, dict) and "name" in f]
    numbers = dict(_numbers(data, ""))
    posts = numbers.get("scale.shape.posts")
    note = f"{posts:.0f} synthetic posts" if posts else ""
    out = [figure(name, numbers[key], unit=unit, note=note if key.startswith("scale") else "")
           for key, (name, unit) in ALIASES.items() if key in numbers]
    scale = data.get("scale")
    for p in scale.get("projections", []) if isinstance(scale, dict) else []:
        if isinstance(p, dict) and isinstance(p.get("seconds"), int | float):
            out.append(figure(f"projected ingest, {p.get('machine')} ({p.get('kind')})",
                              p["seconds"] / 60, unit="min", note=str(p.get("basis", ""))))
    return out


def _numbers(data: Any, prefix: str) -> list[tuple[str, float]]:
    if isinstance(data, bool):
        return []
    if isinstance(data, int | float):
        return [(prefix, float(data))]
    if isinstance(data, dict):
        return [pair for key, value in data.items()
                for pair in _numbers(value, f"{prefix}.{key}" if prefix else str(key))]
    return []
