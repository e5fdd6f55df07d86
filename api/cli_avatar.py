"""`avatar ask | debate | reflect`: talk to the avatar from the shell (`eval`: api/cli_eval.py)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from api import services
from api.settings import Settings
from knowledge.readers import read_source
from persona.replies import ErrorEvent, final_reply


def add_commands(sub: Any) -> None:
    """Register the conversation commands on the top-level parser."""
    p = sub.add_parser("ask", help="ask the avatar what the author thinks")
    p.add_argument("message", metavar="QUESTION")
    _common(p, "ask")

    p = sub.add_parser("debate", help="debate a motion with the avatar")
    p.add_argument("message", metavar="MOTION")
    p.add_argument("--side", choices=["for", "against"], help="the side you argue")
    _common(p, "debate")

    p = sub.add_parser("reflect", help="a short post in the author's manner on a news item")
    p.add_argument("message", metavar="TEXT_OR_URL")
    _common(p, "reflect")


def _common(p: argparse.ArgumentParser, mode: str) -> None:
    p.add_argument("--model", help="provider:model (must be allowed: AVATAR_MODELS)")
    p.add_argument("--json", action="store_true", help="print the reply as JSON")
    p.set_defaults(handler=cmd_converse, mode=mode)


def _news_text(source: str, settings: Settings) -> str:
    """Reflect accepts a URL: read its main text with the same readers as ingestion."""
    if not source.startswith(("http://", "https://")):
        return source
    with services.make_fetcher(settings) as fetcher:
        result = read_source(source, fetcher=fetcher)
    if not result.posts:
        reason = result.failures[0].error if result.failures else "no text found"
        raise ValueError(f"could not read {source}: {reason}")
    post = result.posts[0]
    return f"{post.title}\n\n{post.text}"[:6000]


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    archive = services.open_archive(settings)
    avatar = services.build_avatar(settings, archive, services.persona_of(settings))
    message = _news_text(args.message, settings) if args.mode == "reflect" else args.message
    side = getattr(args, "side", None)
    def show(text: str) -> None:
        if not args.json:
            print(text, end="", flush=True)

    outcome = await final_reply(avatar.stream(args.mode, message, model=args.model, side=side),
                                on_token=show)
    if isinstance(outcome, ErrorEvent):
        if args.json:
            print(json.dumps({"error": outcome.message}))
        else:
            print(f"\navatar: {outcome.message}", file=sys.stderr)
        return 1
    reply = outcome
    if args.json:
        print(json.dumps(reply.to_json()))
        return 0
    print()
    if reply.stance:
        print(f"\nstance: {reply.stance}")
    for c in reply.citations:
        when = c.published.isoformat() if c.published else "undated"
        print(f"[{c.n}] {c.title} ({when}) {c.url or c.source}")
    print(f"(answered by {reply.model})", file=sys.stderr)
    return 0


def cmd_converse(args: argparse.Namespace, settings: Settings) -> int:
    """avatar ask|debate|reflect TEXT [--model M] [--json]"""
    return asyncio.run(_run(args, settings))
