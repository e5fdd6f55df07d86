"""Run every benchmark and print one table of figures against DESIGN.md's quality bars.

usage: python -m benchmarks.bench_all [--data ../shared/data] [--index DIR] [--only a,b]
           [--quick] [--out bench-results]
e.g.   make bench DATA=../shared/data INDEX=/work/bench-data/pg ONLY=retrieval,faithfulness QUICK=1

Each benchmark runs as a subprocess with `--json` (its full output is kept in OUT/logs); one
that fails is shown as failed with its error and the others still run. The table is printed
and written to OUT/summary.md and OUT/summary.json. --quick runs smaller versions (no
LangChain-tutorial peers, a 20k-chunk scale index, 20 Perspectrum claims, a 5 s load test),
whose figures are indicative only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import summary
from benchmarks.suite import ORDER, ROOT, Plan, Step, steps
from benchmarks.targets import TARGETS, Row, Target, judge

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def run_step(step: Step, logs: Path, targets: Sequence[Target]) -> list[Row]:
    """Run one benchmark and judge its figures; a failure becomes one 'failed' row."""
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{step.name}.log"
    started = time.monotonic()
    print(f"[bench] {step.name}: {' '.join(step.argv[1:])}", file=sys.stderr, flush=True)
    try:
        if step.prepare is not None:
            step.prepare()
        proc = subprocess.run(step.argv, cwd=ROOT, capture_output=True, text=True,
                              timeout=step.timeout, env={**os.environ, **OFFLINE})
        log.write_text(f"$ {' '.join(step.argv)}\n{proc.stdout}\n--- stderr ---\n{proc.stderr}",
                       encoding="utf-8")
        if proc.returncode != 0:
            raise RuntimeError(f"exit {proc.returncode}: {_last_line(proc.stderr, proc.stdout)}")
        rows = judge(step.name, step.parse(proc.stdout), targets)
    except subprocess.TimeoutExpired:
        rows = [_failed(step.name, f"timed out after {step.timeout:.0f} s (log: {log})")]
    except Exception as exc:
        rows = [_failed(step.name, f"{exc} (log: {log})")]
    print(f"[bench] {step.name}: {time.monotonic() - started:.0f} s", file=sys.stderr,
          flush=True)
    return rows


def _failed(name: str, error: str) -> Row:
    return Row(name, "(benchmark failed)", None, "failed", note=error)


def _last_line(*outputs: str) -> str:
    for text in outputs:
        lines = [line for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1].strip()
    return "no output"


def run_all(chosen: Sequence[Step], out_dir: Path, title: str,
            targets: Sequence[Target] = TARGETS) -> tuple[list[Row], str]:
    """Run the steps in turn, write the summary files, return the rows and the markdown."""
    rows = [row for step in chosen for row in run_step(step, out_dir / "logs", targets)]
    return rows, summary.write(rows, title, out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of `make bench`; exit status 1 when a benchmark failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(
        os.environ.get("AVATAR_SHARED_DATA", ROOT.parent / "shared" / "data")))
    parser.add_argument("--index", type=Path, help="a pre-ingested essays data dir (copied)")
    parser.add_argument("--only", default="", help=f"comma list out of {','.join(ORDER)}")
    parser.add_argument("--quick", action="store_true", help="smaller, indicative runs")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    args = parser.parse_args(argv)
    only = [n for n in args.only.split(",") if n] or list(ORDER)
    unknown = set(only) - set(ORDER)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; known: {', '.join(ORDER)}")
    work = args.out / "work"
    shutil.rmtree(work / "pg", ignore_errors=True)  # a fresh copy of the index each run
    plan = Plan(data=args.data.resolve(), index=args.index and args.index.resolve(),
                work=work.resolve(), quick=args.quick)
    chosen = [s for s in steps(plan) if s.name in only]
    title = (f"Benchmarks {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
             f"{' (quick: indicative only)' if args.quick else ''}")
    rows, table = run_all(chosen, args.out, title)
    print(table)
    print(f"written to {args.out / 'summary.md'} and summary.json; logs in {args.out / 'logs'}")
    return 1 if any(row.status == "failed" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
