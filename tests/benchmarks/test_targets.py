"""The targets table marks each figure met or not met against DESIGN.md's bars."""

from __future__ import annotations

from pathlib import Path

from benchmarks.suite import ORDER, Plan, steps
from benchmarks.targets import TARGETS, Target, judge

BARS = [
    Target("retrieval", "* R@5", ">=", 0.95, "R@5 on every set"),
    Target("retrieval", "* false declines", "<=", 0.02, "false declines"),
    Target("serve", "load errors", "==", 0, "no error"),
]


def _statuses(benchmark: str, figures: list[dict[str, object]]) -> dict[str, str]:
    return {row.name: row.status for row in judge(benchmark, figures, BARS)}


def test_at_least_bars_hold_on_every_set_and_at_the_limit() -> None:
    got = _statuses("retrieval", [
        {"name": "qa55 R@5", "value": 0.964},
        {"name": "test paraphrase R@5", "value": 0.949},
        {"name": "dev verbatim R@5", "value": 0.95},
        {"name": "qa55 false declines", "value": 0.0},
        {"name": "test paraphrase false declines", "value": 0.033},
        {"name": "qa55 R@1", "value": 0.5},
    ])
    assert got == {"qa55 R@5": "met", "test paraphrase R@5": "not met",
                   "dev verbatim R@5": "met", "qa55 false declines": "met",
                   "test paraphrase false declines": "not met", "qa55 R@1": "reported"}


def test_equality_bars_and_values_that_are_absent() -> None:
    assert _statuses("serve", [{"name": "load errors", "value": 0}]) == {"load errors": "met"}
    assert _statuses("serve", [{"name": "load errors", "value": 3}]) == {
        "load errors": "not met"}
    assert _statuses("serve", [{"name": "load errors", "value": None}]) == {
        "load errors": "no value"}


def test_a_target_no_figure_answers_is_shown_missing() -> None:
    rows = judge("retrieval", [{"name": "qa55 R@5", "value": 1.0}], BARS)
    missing = [r for r in rows if r.status == "missing"]
    assert [(r.name, r.target) for r in missing] == [("* false declines", "≤ 0.02")]


def test_a_figure_of_another_benchmark_is_not_judged_by_these_bars() -> None:
    assert _statuses("search", [{"name": "qa55 R@5", "value": 0.1}]) == {"qa55 R@5": "reported"}


def test_the_shipped_bars() -> None:
    """DESIGN.md's limits as shipped, judged on figures named as the benchmarks name them."""
    figures = {
        "search": [{"name": "search p50", "value": 31.0}, {"name": "search p95", "value": 80.0},
                   {"name": "serving peak RSS", "value": 1900.0}],
        "faithfulness": [{"name": "qa55 citations retrieved", "value": 1.0},
                         {"name": "qa55 quotes verbatim", "value": 0.98},
                         {"name": "off-topic out-of-archive declined", "value": 1.0}],
        "debate": [{"name": "perspectrum test stance model right", "value": 0.70},
                   {"name": "perspectrum test stance model wrong", "value": 0.16},
                   {"name": "sample motions (cue) wrong", "value": 0.0},
                   {"name": "essay motions test (cue) right", "value": 0.14},
                   {"name": "essay motions test (cue) wrong", "value": 0.05},
                   {"name": "multi-round checks failed (cue)", "value": 0}],
    }
    got = {name: row.status for bench, figs in figures.items()
           for row in judge(bench, figs) for name in [row.name]}
    assert got == {
        "search p50": "not met", "search p95": "met", "serving peak RSS": "met",
        "qa55 citations retrieved": "met", "qa55 quotes verbatim": "not met",
        "off-topic out-of-archive declined": "met",
        "perspectrum test stance model right": "met",
        "perspectrum test stance model wrong": "not met",
        "sample motions (cue) wrong": "met", "multi-round checks failed (cue)": "met",
        "essay motions test (cue) right": "not met", "essay motions test (cue) wrong": "met",
    }


def test_every_target_names_a_benchmark_that_runs(tmp_path: Path) -> None:
    names = [s.name for s in steps(Plan(data=tmp_path, index=None, work=tmp_path))]
    assert names == list(ORDER)
    assert {t.benchmark for t in TARGETS} == set(ORDER)
