"""Debate motions over a second author's archive: does the avatar take his real side?

usage: python -m benchmarks.debate_essays --essays ../shared/data/pg-essays [--data-dir DIR]
       [--judges cue,trained] [--json]

The 44 motions in benchmarks/questions/pg_motions.json were written for this benchmark (one
per essay, each read for the side its author takes; half phrased with a negation, half in
words the essay does not use) and split in two: `dev` may be looked at while changing the
stance judge, `test` is only reported. The essays are indexed once (or read from --data-dir,
an index of them the other benchmarks made); every motion is debated through the real avatar
and the extractive backend, once per stance judge. Right / wrong / unclear per split, and
each miss.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from api.services import build_avatar
from api.settings import Settings
from benchmarks.common import figure, load_posts, print_figures, require
from benchmarks.debate_avatar import judges
from knowledge.archive import Archive
from persona.avatar import Avatar
from persona.persona import Persona

MOTIONS = Path(__file__).parent / "questions" / "pg_motions.json"


async def debate_all(avatar: Avatar, motions: list[dict[str, str]]) -> list[str]:
    """The stance the avatar takes on each motion, in order."""
    return [(await avatar.respond("debate", m["motion"])).stance or "unclear" for m in motions]


def tally(motions: list[dict[str, str]], stances: list[str]) -> tuple[int, int, int]:
    """Right, wrong and unclear counts against each motion's side."""
    right = sum(s == m["side"] for m, s in zip(motions, stances, strict=True))
    unclear = stances.count("unclear")
    return right, len(motions) - right - unclear, unclear


def open_archive(essays: Path, folder: Path) -> Archive:
    """The essays' index in folder (an existing one is brought up to date, not rebuilt)."""
    archive = Archive.open(folder)
    archive.ingest(load_posts(require(essays, "the essays")))  # unchanged posts are skipped
    return archive


def run(essays: Path, data_dir: Path | None, judge_names: list[str]) -> list[dict[str, object]]:
    """Debate every motion with each judge; print a row per judge and split, and the misses."""
    motions = json.loads(MOTIONS.read_text())
    folder = data_dir or Path(tempfile.mkdtemp(prefix="avatar-debate-essays-"))
    archive = open_archive(essays, folder)
    settings = Settings(data_dir=folder, default_model="extractive",
                        models=["extractive"], fallback_models=[])
    persona = Persona(name="Paul Graham", bio="An essayist.", sign_off="")
    splits = sorted({m["split"] for m in motions})
    print(f"essay motions: {len(motions)} ({', '.join(splits)})")
    print(f"{'judge':8} {'split':5} {'n':>3} {'right':>6} {'wrong':>6} {'unclear':>8}")
    found: list[dict[str, object]] = []
    for name, judge in judges(judge_names).items():
        stances = asyncio.run(debate_all(build_avatar(settings, archive, persona, judge=judge),
                                         motions))
        for split in splits:
            part = [(m, s) for m, s in zip(motions, stances, strict=True) if m["split"] == split]
            right, wrong, unclear = tally([m for m, _ in part], [s for _, s in part])
            n = len(part)
            print(f"{name:8} {split:5} {n:3d} {right / n:6.2f} {wrong / n:6.2f} "
                  f"{unclear / n:8.2f}")
            for m, s in part:
                if s != m["side"] and s != "unclear":
                    print(f"  WRONG: {m['id']} {m['motion']} (he is {m['side']})")
            note = f"{n} motions, {split}"
            found += [figure(f"essay motions {split} ({name}) right", right / n, unit="share",
                             note=note),
                      figure(f"essay motions {split} ({name}) wrong", wrong / n, unit="share",
                             note=note)]
    return found


def main(argv: list[str] | None = None) -> None:
    """Command line: every motion with each judge."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=Path, required=True,
                        help="the essays folder (../shared/data/pg-essays)")
    parser.add_argument("--data-dir", type=Path, help="an index of the essays to reuse")
    parser.add_argument("--judges", default="cue,trained")
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    args = parser.parse_args(argv)
    found = run(args.essays, args.data_dir, args.judges.split(","))
    if args.json:
        print_figures(found)


if __name__ == "__main__":
    main()
