"""The `avatar` command line: one parser, each command handled in its own module."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from api import cli_archive, cli_avatar, cli_check, cli_eval, cli_slack
from api.settings import Settings
from knowledge.locks import ArchiveHeld
from knowledge.store_errors import ArchiveDamaged

Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, as DESIGN.md specifies it."""
    parser = argparse.ArgumentParser(prog="avatar", description="Talk to and argue with an "
                                     "author's avatar, grounded in his own posts.")
    parser.add_argument("--data-dir", type=Path, help="where the index lives (AVATAR_DATA_DIR)")
    parser.add_argument("--persona", type=Path, help="persona TOML file (AVATAR_PERSONA)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cli_archive.add_commands(sub)
    cli_check.add_commands(sub)
    cli_avatar.add_commands(sub)
    cli_eval.add_commands(sub)
    cli_slack.add_commands(sub)
    return parser


def load_settings(args: argparse.Namespace) -> Settings:
    """Settings from env/.env, with the global flags on top."""
    overrides = {}
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    if args.persona:
        overrides["persona"] = args.persona
    return Settings(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `avatar` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args)
        handler: Handler = args.handler
        return handler(args, settings)
    except (ValueError, OSError, ArchiveHeld, ArchiveDamaged) as exc:
        print(f"avatar: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
