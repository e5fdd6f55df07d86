"""`make bench` still prints its one table when a benchmark fails, and reads each output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks import ingest_figures
from benchmarks.bench_all import run_all
from benchmarks.suite import Step, figures_line
from benchmarks.targets import Target

GOOD = ('import json; print("measuring..."); print(json.dumps({"figures": ['
        '{"name": "p50", "value": 12.5, "unit": "ms"}, '
        '{"name": "p95", "value": 95.0, "unit": "ms"}, '
        '{"name": "R@5", "value": 0.9, "unit": "share", "peers": {"BM25": 0.8}}]}))')
FAILS = 'import sys; print("half-way"); sys.exit("skipped: the archive not found at /nowhere")'
SILENT = 'print("a table for people, no figures line")'
TARGETS = [Target("fast", "p50", "<=", 30, "p50"), Target("fast", "p95", "<=", 80, "p95"),
           Target("broken", "x", ">=", 1, "x")]


def _step(name: str, code: str) -> Step:
    return Step(name, [sys.executable, "-c", code], figures_line, timeout=60)


def test_a_failing_benchmark_is_a_failed_row_and_the_others_still_run(tmp_path: Path) -> None:
    steps = [_step("broken", FAILS), _step("fast", GOOD), _step("mute", SILENT)]
    rows, table = run_all(steps, tmp_path, "Benchmarks (test)", TARGETS)

    assert [(r.benchmark, r.name, r.status) for r in rows] == [
        ("broken", "(benchmark failed)", "failed"),
        ("fast", "p50", "met"), ("fast", "p95", "not met"), ("fast", "R@5", "reported"),
        ("mute", "(benchmark failed)", "failed")]
    assert "skipped: the archive not found at /nowhere" in rows[0].note
    assert "printed no figures line" in rows[-1].note
    lines = table.splitlines()
    assert lines[0] == "## Benchmarks (test)"
    assert "| fast | p50 | 12.5 ms | ≤ 30 | met |" in table
    assert "| fast | p95 | 95.0 ms | ≤ 80 | **NOT MET** |" in table
    assert "| fast | R@5 | 0.900 |  | reported only | BM25 0.800 |" in table
    assert any(line.startswith("| broken | (benchmark failed) | – |  | **FAILED** | exit 1: "
                               "skipped: the archive") for line in lines)
    assert lines[-1] == "1 met, 1 not met, 1 reported, 2 failed"
    assert (tmp_path / "summary.md").read_text() == table
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert [r["status"] for r in saved["rows"]] == [r.status for r in rows]
    assert "half-way" in (tmp_path / "logs" / "broken.log").read_text()


def test_a_benchmark_that_hangs_is_cut_off(tmp_path: Path) -> None:
    step = Step("slow", [sys.executable, "-c", "import time; time.sleep(30)"], figures_line,
                timeout=1)
    rows, _ = run_all([step], tmp_path, "t", TARGETS)
    assert rows[0].status == "failed" and "timed out after 1 s" in rows[0].note


INGEST_OUTPUT = """read: 212 posts in 3.1 s
model preparation (one-off, cached): 0.4 s
ingest: 212 posts, 3012 chunks in 61.2 s (+1.3 s opening the model) = 62.5 s; tutorial \
pipeline as measured in the data README 165 s -> ratio 0.38 (limit 0.50)
encode: raw 61.0 chunks/s (minilm-int8), ingest 49.2 chunks/s -> ratio 0.81 (target >= 0.85)
re-ingest unchanged: 0.41 s, 212 unchanged, 0 chunks embedded -> 149x faster (target >= 50x)
"""


def test_the_ingest_adapter_reads_the_printed_figures() -> None:
    got = {f["name"]: f["value"] for f in ingest_figures.parse(INGEST_OUTPUT)}
    assert got == {"ingest seconds": 62.5, "ingest time / tutorial": 0.38,
                   "raw encode rate": 61.0, "ingest rate": 49.2,
                   "ingest rate / raw encode rate": 0.81, "re-ingest seconds": 0.41,
                   "re-ingest speed-up": 149.0}


def test_the_ingest_adapter_reads_the_scale_branchs_json() -> None:
    ingest = json.dumps({"model_prepare_s": 0.4, "ingest": {
        "total_s": 70.1, "peer_ratio": 0.42, "encode_ratio": 0.9, "reingest_speedup": 120.0}})
    scale = json.dumps({"scale": {
        "cores": 2, "shape": {"posts": 1000, "words_median": 410.0},
        "search": {"p50_ms": 21.5, "p95_ms": 44.0, "peak_rss_mb": 900.0},
        "projections": [{"kind": "measured", "machine": "16 cores", "seconds": 600,
                         "basis": "encode per core x 16"}]}})
    got = {f["name"]: f for f in ingest_figures.parse(f"{ingest}\n")}
    assert {k: f["value"] for k, f in got.items()} == {
        "ingest seconds": 70.1, "ingest time / tutorial": 0.42,
        "ingest rate / raw encode rate": 0.9, "re-ingest speed-up": 120.0}
    got = {f["name"]: f for f in ingest_figures.parse(f"{scale}\n")}
    assert {k: f["value"] for k, f in got.items()} == {
        "synthetic archive search p50": 21.5, "synthetic archive search p95": 44.0,
        "synthetic archive serving peak RSS": 900.0,
        "projected ingest, 16 cores (measured)": 10.0}
    assert got["synthetic archive search p50"]["note"] == "1000 synthetic posts"


def test_figures_given_as_a_list_are_taken_as_they_are() -> None:
    line = json.dumps({"figures": [{"name": "ingest time / tutorial", "value": 0.3}]})
    got = {f["name"]: f["value"] for f in ingest_figures.parse(f"{INGEST_OUTPUT}{line}\n")}
    assert got["ingest time / tutorial"] == 0.3
    assert got["re-ingest speed-up"] == 149.0
