"""The quality bars of ../shared/DESIGN.md as data: which figure, compared how, against what.

One row per target. A target names its benchmark and a shell-style pattern over that
benchmark's figure names (`* R@5` holds on every question set). A figure no target names is
shown as reported only; a target no figure answers is shown as missing, so a renamed figure
cannot drop a bar unseen.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, "==": operator.eq}
SHOWN = {">=": "≥", "<=": "≤", "==": "="}
SLACK = 1e-9  # shares arrive as rounded floats: 1.0 must meet "≥ 1.0"


@dataclass(frozen=True)
class Target:
    """One quality bar: figures of `benchmark` matching `pattern` must satisfy `op limit`."""

    benchmark: str
    pattern: str
    op: str
    limit: float
    bar: str  # DESIGN.md's words, for the reader of the table

    def applies(self, benchmark: str, name: str) -> bool:
        """Whether this target judges the figure `name` of `benchmark`."""
        return benchmark == self.benchmark and fnmatchcase(name, self.pattern)

    def met(self, value: float) -> bool:
        """Whether value satisfies the bar."""
        if self.op == ">=":
            return value >= self.limit - SLACK
        if self.op == "<=":
            return value <= self.limit + SLACK
        return COMPARE[self.op](value, self.limit)

    def text(self) -> str:
        """The bar as the table shows it, e.g. '≥ 0.95'."""
        return f"{SHOWN[self.op]} {self.limit:g}"


TARGETS: list[Target] = [
    Target("retrieval", "* R@5", ">=", 0.95, "post-level recall@5 on every set"),
    Target("retrieval", "* MRR", ">=", 0.85, "MRR on every set"),
    Target("retrieval", "* false declines", "<=", 0.02, "false declines ≤ 2 %"),
    Target("retrieval", "* out-of-archive answered", "<=", 0.10,
           "out-of-archive questions answered ≤ 10 %"),
    Target("ingest", "ingest time / tutorial", "<=", 0.50,
           "whole archive in at most half the tutorial pipeline's time"),
    Target("ingest", "ingest rate / raw encode rate", ">=", 0.85,
           "chunks/s ≥ 0.85 × the raw encode rate"),
    Target("ingest", "re-ingest speed-up", ">=", 50, "unchanged re-ingest ≥ 50× faster"),
    Target("search", "search p50", "<=", 30, "search p50 ≤ 30 ms at archive scale"),
    Target("search", "search p95", "<=", 80, "search p95 ≤ 80 ms at archive scale"),
    Target("search", "serving peak RSS", "<=", 2048, "resident memory ≤ 2 GB"),
    Target("scale", "synthetic archive search p50", "<=", 30,
           "search p50 ≤ 30 ms at the real author's size (≈30k posts)"),
    Target("scale", "synthetic archive search p95", "<=", 80,
           "search p95 ≤ 80 ms at the real author's size"),
    Target("scale", "synthetic archive serving peak RSS", "<=", 2048,
           "resident memory ≤ 2 GB at the real author's size"),
    Target("serve", "first-token overhead", "<=", 50, "first streamed token overhead ≤ 50 ms"),
    Target("serve", "load errors", "==", 0, "50 concurrent streaming chats, no error"),
    Target("faithfulness", "* citations retrieved", ">=", 1.0,
           "100 % of citations point to retrieved posts"),
    Target("faithfulness", "* quotes verbatim", ">=", 1.0,
           "100 % of quoted sentences verbatim"),
    Target("faithfulness", "* out-of-archive declined", ">=", 1.0,
           "out-of-archive questions are declined"),
    Target("debate", "perspectrum test stance model right", ">=", 0.65,
           "stance accuracy ≥ 0.65 on Perspectrum test"),
    Target("debate", "perspectrum test stance model wrong", "<=", 0.15,
           "wrong side ≤ 0.15 on Perspectrum test"),
    Target("debate", "sample motions (*) wrong", "<=", 0.0,
           "never the wrong side where the author states his position"),
    Target("debate", "essay motions test (*) right", ">=", 0.65,
           "stance accuracy ≥ 0.65 on motions over the essays (test half)"),
    Target("debate", "essay motions test (*) wrong", "<=", 0.15,
           "wrong side ≤ 0.15 on motions over the essays (test half)"),
    Target("debate", "multi-round checks failed (*)", "==", 0,
           "consistent across rounds"),
]


@dataclass
class Row:
    """One line of the summary table."""

    benchmark: str
    name: str
    value: float | None
    status: str  # "met", "not met", "reported", "missing", "no value", "failed"
    target: str = ""
    unit: str = ""
    note: str = ""
    peers: dict[str, float] = field(default_factory=dict)


def judge(benchmark: str, figures: Sequence[dict[str, Any]],
          targets: Sequence[Target] = TARGETS) -> list[Row]:
    """Rows for one benchmark's figures, each marked against the first target naming it,
    then a 'missing' row for each of the benchmark's targets that no figure answered."""
    rows = []
    used: set[Target] = set()
    for fig in figures:
        name, value = str(fig["name"]), fig.get("value")
        target = next((t for t in targets if t.applies(benchmark, name)), None)
        row = Row(benchmark, name, value, "reported", unit=str(fig.get("unit", "")),
                  note=str(fig.get("note", "")), peers=dict(fig.get("peers") or {}))
        if target is not None:
            used.add(target)
            row.target = target.text()
            row.status = ("no value" if value is None
                          else "met" if target.met(float(value)) else "not met")
        rows.append(row)
    for target in targets:
        if target.benchmark == benchmark and target not in used:
            rows.append(Row(benchmark, target.pattern, None, "missing", target.text(),
                            note=f"no figure reported for: {target.bar}"))
    return rows
