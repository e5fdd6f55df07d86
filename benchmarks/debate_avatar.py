"""The avatar side of the debate benchmark: motions over the sample blog, and a multi-round check.

usage: python -m benchmarks.debate_avatar [--judges cue,trained] [--json]
Each motion below was written for this benchmark (not tuned on) with the side the sample
author's posts take; the avatar debates it through the real archive and the extractive
backend, once per stance judge, in the same run. The multi-round check asks a question on
another subject, states a motion, then argues a counter-point, and checks that the reply
answers the latest motion and point.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from api.services import build_avatar, persona_of, sample_blog_path
from api.settings import Settings
from benchmarks.common import figure, print_figures
from knowledge.archive import Archive
from knowledge.readers import read_source
from persona.avatar import Avatar
from persona.messages import Turn
from persona.stance_judge import JUDGES, StanceJudge

# (motion, the author's side in the sample blog)
MOTIONS = [
    ("Cities should introduce congestion charging", "for"),
    ("Companies should require employees to return to the office five days a week", "against"),
    ("Nuclear power plants should be shut down as soon as possible", "against"),
    ("Europe should build new nuclear power stations", "for"),
    ("Companies should pay for the open-source software they depend on", "for"),
    ("A four-day working week would be good for most office workers", "for"),
    ("Shared e-scooters should be banned from city centres", "against"),
    ("Heat pumps cannot heat old, draughty houses", "against"),
    ("Big tech platforms should be forced to interoperate before anyone breaks them up", "for"),
    ("Chatbots have transformed how small businesses work", "against"),
    ("Commuting time should count as working time", "for"),
    ("Children should learn to read code before they learn to write it", "for"),
]


def judges(names: list[str]) -> dict[str, StanceJudge]:
    """The stance judges to compare, by name (persona.stance_judge.JUDGES)."""
    unknown = [n for n in names if n not in JUDGES]
    if unknown:
        raise SystemExit(f"unknown judge(s) {unknown} (known: {', '.join(JUDGES)})")
    return {name: JUDGES[name]() for name in names}


async def motions(avatar: Avatar) -> tuple[int, int, int, list[str]]:
    """Right, wrong and unclear counts over MOTIONS, and a line per miss."""
    right = wrong = unclear = 0
    misses = []
    for motion, side in MOTIONS:
        reply = await avatar.respond("debate", motion)
        if reply.stance == side:
            right += 1
        elif reply.stance == "unclear":
            unclear += 1
            misses.append(f"  unclear: {motion} (she is {side})")
        else:
            wrong += 1
            misses.append(f"  WRONG:   {motion} (she is {side}, read as {reply.stance})")
    return right, wrong, unclear, misses


async def rounds(avatar: Avatar) -> list[str]:
    """The multi-round check; the list of failed expectations (empty when all hold)."""
    motion = "Nuclear power plants should be shut down as soon as possible"
    point = "But the waste stays dangerous for thousands of years and nobody wants it."
    history: list[Turn] = []
    replies = []
    for mode, message in [("ask", "What do you think about funding open source?"),
                          ("debate", motion), ("debate", point)]:
        reply = await avatar.respond(mode, message, history)
        replies.append(reply)
        history += [Turn("user", message), Turn("assistant", reply.text)]
    last = replies[-1]
    checks: list[tuple[str, Callable[[], bool]]] = [
        ("the motion is the latest one", lambda: (last.debate or {}).get("motion") == motion),
        ("the point is a new round", lambda: (last.debate or {}).get("round") == 2),
        ("the reply answers the point", lambda: "You say: But the waste" in last.text),
        ("the stance holds across rounds", lambda: last.stance == replies[1].stance),
        ("she is not read as for shutting down", lambda: last.stance != "for"),
    ]
    return [name for name, check in checks if not check()]


def run(judge_names: list[str]) -> list[dict[str, object]]:
    """Build the sample archive once, debate every motion with each judge, print the rows and
    return them as figures."""
    data_dir = Path(tempfile.mkdtemp(prefix="avatar-debate-"))
    archive = Archive.open(data_dir)
    archive.ingest(read_source(str(sample_blog_path())).posts)
    settings = Settings(data_dir=data_dir, default_model="extractive", models=["extractive"],
                        fallback_models=[])
    persona = persona_of(settings)
    print(f"sample-blog motions: {len(MOTIONS)}")
    print(f"{'judge':8} {'right':>6} {'wrong':>6} {'unclear':>8}  multi-round")
    found: list[dict[str, object]] = []
    for name, judge in judges(judge_names).items():
        avatar = build_avatar(settings, archive, persona, judge=judge)
        right, wrong, unclear, misses = asyncio.run(motions(avatar))
        failed = asyncio.run(rounds(avatar))
        n = len(MOTIONS)
        print(f"{name:8} {right / n:6.2f} {wrong / n:6.2f} {unclear / n:8.2f}  "
              f"{'ok' if not failed else 'FAILED: ' + '; '.join(failed)}")
        for line in misses:
            print(line)
        note = f"{n} motions"
        found += [figure(f"sample motions ({name}) right", right / n, unit="share", note=note),
                  figure(f"sample motions ({name}) wrong", wrong / n, unit="share", note=note),
                  figure(f"multi-round checks failed ({name})", len(failed),
                         note="; ".join(failed))]
    return found


def main(argv: list[str] | None = None) -> None:
    """Command line: the motions and the multi-round check, each judge in turn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judges", default="cue,trained")
    parser.add_argument("--json", action="store_true", help="end with a line of JSON figures")
    args = parser.parse_args(argv)
    found = run(args.judges.split(","))
    if args.json:
        print_figures(found)


if __name__ == "__main__":
    main()
