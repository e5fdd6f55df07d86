"""`avatar check [--repair] [--json]`: Chroma against the keyword index and the vector reach."""

from __future__ import annotations

import argparse
import json
from typing import Any

from api import services
from api.settings import Settings
from knowledge.integrity import check, repair


def add_commands(sub: Any) -> None:
    """Register `check` on the top-level parser."""
    p = sub.add_parser("check", help="compare Chroma, the keyword index and the vector index")
    p.add_argument("--repair", action="store_true",
                   help="rebuild what is derived (keyword index; vectors from stored text)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when the archive is sound (or was repaired), 1 when problems remain."""
    archive = (services.open_archive_to_write(settings) if args.repair
               else services.open_archive(settings))
    report = check(archive)
    done: list[str] = []
    if args.repair and not report.ok:
        done = repair(archive, report)
        report = check(archive)
    if args.json:
        print(json.dumps({**report.to_json(), "repaired": done}))
    else:
        print(f"{report.posts} posts, {report.chunks} chunks in Chroma; keyword index "
              f"{report.keyword_posts} posts, {report.keyword_chunks} chunks; vector reach "
              f"{report.reach:.0%}")
        for line in done:
            print(f"repaired: {line}")
        for problem in report.problems:
            print(f"problem: {problem}")
        if report.ok:
            print("ok")
    return 0 if report.ok else 1
