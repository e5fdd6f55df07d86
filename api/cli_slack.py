"""`avatar slack [--socket]`: the server with the Slack bot on, over HTTP events or Socket Mode."""

from __future__ import annotations

import argparse
import sys

from api.settings import Settings


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `slack` command."""
    p = sub.add_parser("slack", help="serve with the Slack bot on: Slack events at "
                                     "/slack/events, or Socket Mode with --socket")
    p.add_argument("--socket", action="store_true",
                   help="connect out to Slack (no public URL needed; needs SLACK_APP_TOKEN)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_slack)


def cmd_slack(args: argparse.Namespace, settings: Settings) -> int:
    """avatar slack [--socket] [--host H] [--port P]"""
    import uvicorn

    from api.app import create_app
    from api.slack_wiring import slack_configured

    if args.socket:
        settings = settings.model_copy(update={"slack_socket": True})
    missing = slack_configured(settings, socket=settings.slack_socket)
    if missing:
        print(f"avatar: {missing}", file=sys.stderr)
        return 2
    # One process serves the page, the API and the bot, so the archive has one writer.
    where = "over Socket Mode" if settings.slack_socket else \
        f"at http://{args.host}:{args.port}/slack/events"
    print(f"Slack bot {where}", file=sys.stderr)
    uvicorn.run(create_app(settings), host=args.host, port=args.port)
    return 0
