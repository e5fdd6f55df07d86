"""Faithfulness of the avatar's replies on the evaluation archive.

usage: python benchmarks/faithfulness.py ARCHIVE_DIR QUESTIONS.json [QUESTIONS.json ...]
       [--model extractive] [--data-dir DIR] [--offtopic benchmarks/offtopic_questions.txt]
       [--author NAME] [--json]
Prints, per question set: the share of citations naming a retrieved post (target 100%), the
share of quotes found verbatim in the cited post (target 100%), the share of replies citing the
gold essay, and the decline rate on answerable questions; then the decline rate on questions the
archive cannot answer (target: all declined). `--json` adds a last line of these figures for
benchmarks/bench_all.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from api.services import build_avatar
from api.settings import Settings
from benchmarks.common import figure, load_posts, load_questions, print_figures, require
from knowledge.archive import Archive
from persona.evaluation import EvalQuestion, evaluate
from persona.persona import Persona
from persona.replies import Reply

HERE = Path(__file__).parent


def main() -> None:
    """Ingest (or reuse) the archive, ask every question, check every reply."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--model", default="extractive")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--offtopic", type=Path, default=HERE / "offtopic_questions.txt")
    parser.add_argument("--author", default="Paul Graham", help="the archive's author")
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    args = parser.parse_args()
    require(args.archive, "the evaluation archive")
    posts = load_posts(args.archive)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="avatar-faith-"))
    archive = Archive.open(data_dir)
    archive.ingest(posts)
    # An evaluation persona: the archive's author, no voice notes (the metrics are about facts).
    persona = Persona(name=args.author, bio="The archive's author.", sign_off="")
    settings = Settings(data_dir=data_dir, default_model=args.model, models=[args.model],
                        fallback_models=[])
    avatar = build_avatar(settings, archive, persona)

    async def ask(question: str) -> Reply:
        return await avatar.respond("ask", question, model=args.model)

    print(f"model: {args.model}; archive: {len(posts)} posts")
    print(f"{'set':12} {'n':>3} {'cited∈retrieved':>16} {'quotes verbatim':>16} "
          f"{'gold cited':>11} {'declined':>9} {'ans.recall':>10} {'lead rec.':>9} "
          f"{'words':>6}  s/reply")
    found: list[dict[str, object]] = []
    for qpath in args.questions:
        require(qpath, "the question set")
        loaded = load_questions(qpath, posts)
        for split in sorted({q.split for q in loaded}):
            name = f"{qpath.stem}:{split}" if split else qpath.stem
            questions = [EvalQuestion(q.text, (q.gold,) if q.gold else (), bool(q.gold),
                                      q.answer) for q in loaded if q.split == split]
            found += _report(name, questions, ask, archive)
    offtopic = [EvalQuestion(line.strip(), answerable=False)
                for line in args.offtopic.read_text().splitlines() if line.strip()]
    totals = asyncio.run(evaluate(ask, offtopic, archive.post_text))
    r = totals.report()
    print(f"{'off-topic':10} {len(offtopic):3d} {_pct(r['citations_retrieved']):>16} "
          f"{_pct(r['quotes_verbatim']):>16} {'-':>11} {_pct(r['declined_unanswerable']):>9}"
          "  (target: all declined)")
    found += _figures("off-topic", r)
    if args.json:
        print_figures(found)
    sys.exit(0)


def _report(name: str, questions: list[EvalQuestion], ask: Callable[[str], Any],
            archive: Archive) -> list[dict[str, object]]:
    """Ask one set, print its row (answerable and unanswerable questions alike), return its
    figures."""
    started = time.perf_counter()
    totals = asyncio.run(evaluate(ask, questions, archive.post_text))
    r = totals.report()
    per = (time.perf_counter() - started) / max(len(questions), 1)
    declined = r["declined_answerable"] if r["answerable"] else r["declined_unanswerable"]
    print(f"{name:12} {len(questions):3d} {_pct(r['citations_retrieved']):>16} "
          f"{_pct(r['quotes_verbatim']):>16} {_pct(r['gold_cited']):>11} "
          f"{_pct(declined):>9} {_pct(r['answer_recall']):>10} "
          f"{_pct(r['lead_answer_recall']):>9} {r['reply_words'] or 0:6.0f}  {per:.2f}")
    if r["answerable"] and r["counts"]["unanswerable"]:
        print(f"  {name}: out-of-archive questions declined "
              f"{_pct(r['declined_unanswerable'])} of {r['counts']['unanswerable']}")
    for failure in r["failures"]:
        print(f"  failure: {failure}")
    return [*_figures(name, r), figure(f"{name} seconds per reply", per, unit="s")]


def _figures(name: str, r: dict[str, Any]) -> list[dict[str, object]]:
    """The report's shares as figures (a share with nothing to count is left out)."""
    labels = {"citations_retrieved": "citations retrieved", "quotes_verbatim": "quotes verbatim",
              "gold_cited": "gold post cited", "declined_answerable": "answerable declined",
              "declined_unanswerable": "out-of-archive declined",
              "answer_recall": "answer recall"}
    return [figure(f"{name} {label}", r[key], unit="share") for key, label in labels.items()
            if r[key] is not None]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


if __name__ == "__main__":
    main()
