"""Evaluation runs kept in a report folder (one JSON each) and the report.md comparing them."""

from __future__ import annotations

import json
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# (report key, label, which way is better): the figures a run is compared on.
METRICS = [
    ("citations_retrieved", "citations retrieved", "higher"),
    ("quotes_verbatim", "quotes verbatim", "higher"),
    ("gold_cited", "gold post cited", "higher"),
    ("declined_answerable", "answerable declined", "lower"),
    ("declined_unanswerable", "unanswerable declined", "higher"),
    ("answer_recall", "answer recall", "higher"),
]
LATENCY = [("latency_p50_s", "reply p50 (s)"), ("latency_mean_s", "reply mean (s)")]
RUNS = "runs"


def run_record(model: str, questions: Path, report: dict[str, Any],
               seconds: list[float], when: datetime | None = None) -> dict[str, Any]:
    """One run: which model on which questions, when, its report and its reply latency."""
    when = when or datetime.now(UTC)
    return {
        "model": model,
        "questions": questions.name,
        # Microseconds: runs made within one second (a CLI loop, a test) keep their order.
        "when": when.isoformat(timespec="microseconds"),
        "n": len(seconds),
        "report": report,
        "latency_p50_s": round(statistics.median(seconds), 4) if seconds else None,
        "latency_mean_s": round(statistics.fmean(seconds), 4) if seconds else None,
    }


def save_run(folder: Path, run: dict[str, Any]) -> Path:
    """Keep the run as folder/runs/<time>-<model>.json (never overwriting an earlier one)."""
    runs = folder / RUNS
    runs.mkdir(parents=True, exist_ok=True)
    stem = f"{run['when'].replace(':', '')}-{re.sub(r'[^A-Za-z0-9.-]+', '_', run['model'])}"
    path, n = runs / f"{stem}.json", 1
    while path.exists():
        n += 1
        path = runs / f"{stem}-{n}.json"
    path.write_text(json.dumps(run, indent=1), encoding="utf-8")
    return path


def load_runs(folder: Path) -> list[dict[str, Any]]:
    """Every run kept in the folder, oldest first."""
    runs = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((folder / RUNS).glob("*.json"))]
    return sorted(runs, key=lambda r: r["when"])


def _to_second(when: str) -> str:
    """A run's time as the report shows it: to the second."""
    return re.sub(r"\.\d+", "", when)


def label(run: dict[str, Any]) -> str:
    """A run's short name: its model, its questions and when it ran."""
    return f"{run['model']} · {run['questions']} ({run['when'][5:16].replace('T', ' ')})"


def value(run: dict[str, Any], key: str) -> float | None:
    """A metric of a run, whether kept in its report or beside it."""
    found = run.get(key, run["report"].get(key))
    return None if found is None else float(found)


def markdown(runs: list[dict[str, Any]], chart: str) -> str:
    """report.md: the runs, a table of their figures side by side, the chart, failures."""
    lines = ["# Avatar evaluation", "", f"![runs side by side]({chart})", "",
             "| run | model | questions | n | when (UTC) |", "|---|---|---|---:|---|"]
    for i, run in enumerate(runs, 1):
        lines.append(f"| {i} | {run['model']} | {run['questions']} | {run['n']} "
                     f"| {_to_second(run['when'])} |")
    lines += ["", "| figure | " + " | ".join(str(i) for i in range(1, len(runs) + 1)) + " |",
              "|---|" + "---:|" * len(runs)]
    rows = [(key, f"{name} ({better} is better)", "{:.3f}") for key, name, better in METRICS]
    rows += [(key, name, "{:.2f}") for key, name in LATENCY]
    for key, name, form in rows:
        cells = [value(run, key) for run in runs]
        lines.append(f"| {name} | " + " | ".join("–" if c is None else form.format(c)
                                                 for c in cells) + " |")
    for i, run in enumerate(runs, 1):
        failures = run["report"].get("failures") or []
        if failures:
            lines += ["", f"Run {i} ({label(run)}), first failures:", ""]
            lines += [f"- {f}" for f in failures[:5]]
    return "\n".join(lines) + "\n"
