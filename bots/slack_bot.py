"""What the bot does for each request, wherever it came from (mention, DM, slash command)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from bots.slack_blocks import answer_blocks, search_blocks, section, topics_blocks
from bots.slack_commands import Command, help_text
from bots.slack_replies import CannotPost, Poster
from bots.slack_services import BotServices
from bots.slack_text import escape
from persona.messages import Turn
from persona.replies import ErrorEvent, final_reply

log = logging.getLogger(__name__)

APOLOGY = ("Sorry, I couldn't answer that just now: {reason} "
           "Please try again in a moment.")
TOO_FAST = "Sorry, you are asking faster than I can think. Please try again in {wait} s."
TOO_LONG = ("That message is {length:,} characters long; I can take at most {limit:,}. "
            "Could you ask in fewer words?")
NOT_EDITOR = ("Sorry <@{user}>, only the archive's editors can add posts. "
              "Ask one of them to add it for you.")
NO_URL = "Tell me what to add: `/avatar add https://example.com/a-post` (a page, feed or sitemap)."


class SlackBot:
    """Runs one request and puts the reply where the poster says."""

    def __init__(self, services: BotServices) -> None:
        self.services = services

    def refusal(self, command: Command, user: str) -> str | None:
        """Why this request will not be done (asked too fast, too long, not an editor), if so.

        Counts against the user's rate limit: call it once per request, before saying
        anything ("thinking…", "working on it…") that a refusal would contradict.
        """
        s = self.services
        wait = s.rate_limit(user) if s.rate_limit and command.verb != "help" else 0.0
        if wait > 0:
            return TOO_FAST.format(wait=max(1, round(wait)))
        if len(command.text) > s.max_chars:
            return TOO_LONG.format(length=len(command.text), limit=s.max_chars)
        if command.verb == "add" and user not in s.editors:
            return NOT_EDITOR.format(user=user)
        return None

    async def handle(self, command: Command, *, user: str, poster: Poster,
                     history: Sequence[Turn] = (), asked_by: str | None = None,
                     refusal: str | None = None, checked: bool = False) -> None:
        """Answer a command; every failure ends as a clear message, never as silence.

        `checked`: the caller already asked `refusal()` (and passes its answer on).
        """
        try:
            refused = refusal if checked else self.refusal(command, user)
            if refused:
                await poster.finish(refused, public=False)
                return
            await self._dispatch(command, user, poster, history, asked_by)
        except CannotPost:
            return  # already logged: Slack gave us nowhere to answer
        except Exception as exc:
            log.exception("Slack request %s failed", command.verb)
            await poster.finish(APOLOGY.format(reason=escape(_reason(exc))))

    async def _dispatch(self, command: Command, user: str, poster: Poster,
                        history: Sequence[Turn], asked_by: str | None) -> None:
        s = self.services
        if command.verb in ("ask", "debate"):
            await self._converse(command, poster, history, asked_by)
        elif command.verb == "search":
            hits = await asyncio.to_thread(s.search, command.text, 5)
            text, blocks = search_blocks(command.text, hits)
            await poster.finish(escape(text), blocks, public=False)
        elif command.verb == "topics":
            topic_map = await asyncio.to_thread(s.topics)
            text, blocks = topics_blocks(s.author, topic_map)
            await poster.finish(escape(text), blocks, public=False)
        elif command.verb == "add":
            await self._add(command, user, poster)
        else:
            text = help_text(s.author)
            await poster.finish(escape(text), [section(escape(text))], public=False)

    async def _converse(self, command: Command, poster: Poster, history: Sequence[Turn],
                        asked_by: str | None) -> None:
        """Stream the avatar's reply into the poster, then the final answer with sources."""
        s = self.services
        await poster.start()
        shown, last = "", time.monotonic()

        async def progress(text: str) -> None:
            nonlocal shown, last
            shown += text
            if time.monotonic() - last >= s.update_every:
                last = time.monotonic()
                await poster.progress(shown)

        events = s.avatar.stream(command.verb, command.text, history, s.model, command.side)
        outcome = await final_reply(events, on_token=progress)
        if isinstance(outcome, ErrorEvent):
            await poster.finish(APOLOGY.format(reason=escape(outcome.message)))
            return
        await poster.finish(escape(outcome.text),
                            answer_blocks(outcome, command.text, asked_by))

    async def _add(self, command: Command, user: str, poster: Poster) -> None:
        """Editors only: read the URLs and index their posts, then report what happened."""
        s = self.services
        if not command.urls:
            await poster.finish(NO_URL, public=False)
            return
        await poster.start(f"Adding {len(command.urls)} source(s) to the archive…")
        try:
            report = await s.add_sources(list(command.urls))
        except Exception as exc:
            log.warning("Slack add by %s failed: %s", user, exc)
            await poster.finish(f"Nothing was added: {escape(_reason(exc))}", public=False)
            return
        text = escape(ingest_summary(report))
        await poster.finish(text, [section(text)], public=False)


def ingest_summary(report: dict[str, Any]) -> str:
    """One line per outcome of an ingest report, each failure with its reason."""
    line = (f"Added {report.get('added', 0)}, updated {report.get('updated', 0)}, "
            f"unchanged {report.get('unchanged', 0)}.")
    failed = [f"• {f.get('source')}: {f.get('error')}" for f in report.get("failed", [])]
    return "\n".join([line, *(["Could not add:", *failed] if failed else [])])


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if text.endswith(".") else text + "."
