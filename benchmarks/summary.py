"""The one table of `make bench`: every figure with its target and whether it is met."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from benchmarks.targets import Row

MARK = {"met": "met", "not met": "**NOT MET**", "reported": "reported only",
        "missing": "**missing**", "no value": "**no value**", "failed": "**FAILED**"}


def show_value(value: float | None, unit: str) -> str:
    """A figure as the table prints it: shares to 3 places, times and sizes with units."""
    if value is None:
        return "–"
    if unit == "share":
        return f"{value:.3f}"
    if unit in ("ms", "MB"):
        return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    if unit:
        return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{value:g}" if float(value).is_integer() else f"{value:.3f}"


def _cell(text: str) -> str:
    # A pipe or newline in an error message would break the markdown row.
    return text.replace("|", "\\|").replace("\n", " ").strip()


def markdown(rows: list[Row], title: str) -> str:
    """The table in markdown, a tally line under it."""
    lines = [f"## {title}", "",
             "| benchmark | figure | value | target | status | beside it / note |",
             "|---|---|---:|---|---|---|"]
    for row in rows:
        beside = " · ".join(f"{k} {show_value(v, row.unit)}" for k, v in row.peers.items())
        extra = "; ".join(x for x in (beside, row.note) if x)
        lines.append(f"| {row.benchmark} | {_cell(row.name)} | {show_value(row.value, row.unit)} "
                     f"| {row.target} | {MARK[row.status]} | {_cell(extra)} |")
    counts = Counter(row.status for row in rows)
    lines += ["", ", ".join(f"{counts[s]} {s}" for s in MARK if counts[s]) or "no figures"]
    return "\n".join(lines) + "\n"


def write(rows: list[Row], title: str, out_dir: Path) -> str:
    """Write summary.md and summary.json into out_dir; return the markdown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = markdown(rows, title)
    (out_dir / "summary.md").write_text(text, encoding="utf-8")
    (out_dir / "summary.json").write_text(
        json.dumps({"title": title, "rows": [asdict(r) for r in rows]}, indent=1),
        encoding="utf-8")
    return text
