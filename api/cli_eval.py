"""`avatar eval`: check the avatar's replies to a question file, per model, and keep a report."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from api import eval_chart, eval_runs, services
from api.settings import Settings
from knowledge.archive import Archive
from persona.avatar import Avatar
from persona.eval_questions import load_questions_file
from persona.evaluation import EvalQuestion, evaluate
from persona.replies import Reply

CHART = "chart.png"


def add_commands(sub: Any) -> None:
    """Register `eval` on the top-level parser."""
    p = sub.add_parser("eval", help="check replies: citations retrieved, quotes verbatim; "
                       "compare models and runs with --report")
    p.add_argument("questions", type=Path, metavar="QUESTIONS",
                   help="JSONL (one question object a line) or a JSON list of questions")
    p.add_argument("--model", action="append",
                   help="provider:model (must be allowed); repeat to compare models")
    p.add_argument("--report", type=Path, metavar="DIR",
                   help="keep this run in DIR and write DIR/report.md and DIR/chart.png "
                        "beside the runs already there")
    p.add_argument("--json", action="store_true", help="one JSON line per model")
    p.set_defaults(handler=cmd_eval)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """avatar eval QUESTIONS [--model M]... [--report DIR] [--json]"""
    questions = load_questions_file(args.questions)
    archive = services.open_archive(settings)
    avatar = services.build_avatar(settings, archive, services.persona_of(settings))
    faithful = True
    for model in args.model or [settings.default_model]:
        report, seconds = asyncio.run(_evaluate_model(avatar, archive, model, questions))
        _show(model, report, args.json)
        faithful = faithful and report["citations_retrieved"] in (None, 1.0) \
            and report["quotes_verbatim"] in (None, 1.0)
        if args.report:
            eval_runs.save_run(args.report,
                               eval_runs.run_record(model, args.questions, report, seconds))
    if args.report:
        _write_report(args.report, quiet=args.json)
    return 0 if faithful else 1


async def _evaluate_model(avatar: Avatar, archive: Archive, model: str,
                          questions: list[EvalQuestion]) -> tuple[dict[str, Any], list[float]]:
    """Ask every question with one model: the checks' report and each reply's seconds."""
    seconds: list[float] = []

    async def ask(question: str) -> Reply:
        started = time.perf_counter()
        try:
            return await avatar.respond("ask", question, model=model)
        finally:
            seconds.append(time.perf_counter() - started)

    totals = await evaluate(ask, questions, archive.post_text)
    return totals.report(), seconds


def _show(model: str, report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"model": model, **report}))
        return
    print(f"model: {model}")
    for key, value in report.items():
        if key != "failures":
            print(f"{key}: {value}")
    for failure in report["failures"]:
        print(f"  failure: {failure}")


def _write_report(folder: Path, quiet: bool) -> None:
    """report.md and the chart over every run kept in the folder."""
    runs = eval_runs.load_runs(folder)
    eval_chart.draw(runs, folder / CHART)
    (folder / "report.md").write_text(eval_runs.markdown(runs, CHART), encoding="utf-8")
    if not quiet:
        print(f"report: {folder / 'report.md'} ({len(runs)} runs, chart {folder / CHART})")
