"""`avatar slack [--socket]`: the Slack bot, over Socket Mode or as HTTP events."""

from __future__ import annotations

import argparse
import asyncio
import sys

from api.settings import Settings


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `slack` command."""
    p = sub.add_parser("slack", help="run the Slack bot: Socket Mode with --socket, otherwise "
                                     "serve /slack/events (with the web page and API)")
    p.add_argument("--socket", action="store_true",
                   help="connect out to Slack (no public URL needed; needs SLACK_APP_TOKEN)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_slack)


def cmd_slack(args: argparse.Namespace, settings: Settings) -> int:
    """avatar slack [--socket] [--host H] [--port P]"""
    from api.slack_wiring import slack_configured

    missing = slack_configured(settings, socket=args.socket)
    if missing:
        print(f"avatar: {missing}", file=sys.stderr)
        return 2
    if args.socket:
        asyncio.run(_run_socket_mode(settings))
        return 0
    import uvicorn

    from api.app import create_app

    print(f"Slack events at http://{args.host}:{args.port}/slack/events", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0


async def _run_socket_mode(settings: Settings) -> None:
    from api.slack_wiring import socket_mode_bot

    handler, jobs = await asyncio.to_thread(socket_mode_bot, settings)
    jobs.start()
    print("Slack bot: connecting over Socket Mode (Ctrl-C to stop)", file=sys.stderr)
    try:
        await handler.start_async()
    finally:
        await handler.close_async()
        await asyncio.to_thread(jobs.stop)
