"""A Slack thread as conversation history: earlier messages become the avatar's turns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bots.slack_commands import Command, parse_command
from bots.slack_replies import THINKING
from bots.slack_text import unescape
from persona.messages import Turn

MAX_TURNS = 12
APOLOGY_START = "Sorry, "  # the bot's apologies and refusals are not part of the argument


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is in this workspace (from auth.test), to tell its messages apart."""

    user_id: str = ""
    bot_id: str = ""

    def wrote(self, message: dict[str, Any]) -> bool:
        """Whether this message is the bot's own."""
        return bool((self.bot_id and message.get("bot_id") == self.bot_id)
                    or (self.user_id and message.get("user") == self.user_id))


@dataclass(frozen=True)
class Thread:
    """The turns before the current message, and how the thread began."""

    turns: list[Turn]
    opening: Command | None


def read_thread(messages: Iterable[dict[str, Any]], me: BotIdentity, current_ts: str) -> Thread:
    """Turns from a thread's messages (oldest first), up to the current one."""
    turns: list[Turn] = []
    opening: Command | None = None
    for message in messages:
        if message.get("ts") == current_ts:
            break
        text = message.get("text") or ""
        if me.wrote(message):
            # A placeholder or an apology is not something the avatar argued.
            if text and text != THINKING and not text.startswith(APOLOGY_START):
                turns.append(Turn("assistant", unescape(text)))
        elif message.get("bot_id") or message.get("subtype"):
            continue  # other bots, joins, edits: not part of the conversation
        else:
            command = parse_command(text)
            if command.verb in ("ask", "debate") and command.text:
                opening = opening or command
                turns.append(Turn("user", command.text))
    return Thread(turns[-MAX_TURNS:], opening)
