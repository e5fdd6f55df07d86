"""Where a reply goes: a thread (placeholder, then edited) or a slash command's response_url."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_blocks import Block
from bots.slack_text import clip_tail, escape

log = logging.getLogger(__name__)
T = TypeVar("T")

THINKING = "_thinking…_"
PROGRESS_CHARS = 3000  # a progress update shows the end of the reply so far
FALLBACK = "(The full answer with its sources could not be shown here; please ask again.)"


class CannotPost(Exception):
    """Slack refused the first message (no such channel, not a member…): nowhere to answer."""


async def slack_call(call: Awaitable[T], what: str) -> T | None:
    """Run one Web API call; a Slack error is logged with its code and gives None."""
    try:
        return await call
    except SlackApiError as exc:
        log.warning("Slack %s failed: %s", what, error_code(exc))
        return None


def error_code(exc: SlackApiError) -> str:
    """Slack's error code (`ratelimited`, `channel_not_found`…) of a failed call."""
    return str(exc.response.get("error", "unknown_error")) if exc.response else "no response"


class Poster(Protocol):
    """A reply's destination."""

    async def start(self, text: str = THINKING) -> None:
        """Show that work has begun."""

    async def progress(self, text: str) -> None:
        """Show the reply so far (plain text; where the destination can be edited cheaply)."""

    async def finish(self, text: str, blocks: list[Block] | None = None,
                     public: bool = True) -> None:
        """Show the final reply (`public`: visible to everyone, else only to the asker)."""


class ThreadPoster:
    """Replies in a thread: a placeholder at once, then edited in place as the answer grows."""

    def __init__(self, client: AsyncWebClient, channel: str, thread_ts: str = "",
                 user: str = "", progress_timeout: float = 2.0) -> None:
        self._client = client
        self._channel = channel
        self._thread_ts = thread_ts
        self._user = user
        self._progress_timeout = progress_timeout
        self._progress_ok = True
        self.ts: str | None = None  # the placeholder's timestamp, once posted

    async def start(self, text: str = THINKING) -> None:
        """Post the placeholder (once); CannotPost when Slack refuses it."""
        if self.ts:
            return
        try:
            sent = await self._client.chat_postMessage(
                channel=self._channel, text=text, **self._thread())
        except SlackApiError as exc:
            log.warning("Slack chat.postMessage to %s failed: %s", self._channel,
                        error_code(exc))
            raise CannotPost(error_code(exc)) from None
        self.ts = str(sent["ts"])

    async def progress(self, text: str) -> None:
        """Edit the placeholder to show the reply so far; given up at the first rate limit."""
        if not (self.ts and self._progress_ok):
            return
        shown = escape(clip_tail(text, PROGRESS_CHARS)) + " …"
        try:
            # A progress update is worth little: never wait out a rate limit for one.
            done = await asyncio.wait_for(slack_call(self._client.chat_update(
                channel=self._channel, ts=self.ts, text=shown), "chat.update"),
                self._progress_timeout)
        except TimeoutError:
            done = None
        self._progress_ok = done is not None

    async def finish(self, text: str, blocks: list[Block] | None = None,
                     public: bool = True) -> None:
        """Edit the placeholder into the reply, or post it; never leave the placeholder."""
        extra: dict[str, Any] = {"blocks": blocks} if blocks else {}
        if self.ts:
            if await slack_call(self._client.chat_update(
                    channel=self._channel, ts=self.ts, text=text, **extra), "chat.update"):
                return
            # Blocks refused or rate limits outlasted: the text alone, then a new message.
            plain = f"{text}\n\n{FALLBACK}" if blocks else text
            if blocks:
                updated = await slack_call(self._client.chat_update(
                    channel=self._channel, ts=self.ts, text=plain), "chat.update")
                if updated is not None:
                    return
            await slack_call(self._client.chat_postMessage(
                channel=self._channel, text=plain, **self._thread()), "chat.postMessage")
        elif not public and self._user and not self._channel.startswith("D"):
            await slack_call(self._client.chat_postEphemeral(
                channel=self._channel, user=self._user, text=text, **self._thread(), **extra),
                "chat.postEphemeral")
        else:
            await slack_call(self._client.chat_postMessage(
                channel=self._channel, text=text, **self._thread(), **extra),
                "chat.postMessage")

    def _thread(self) -> dict[str, Any]:
        # No thread: a top-level message (an editor's DM after the add form closes).
        return {"thread_ts": self._thread_ts} if self._thread_ts else {}


class Respond(Protocol):
    """Bolt's `respond` (a POST to the slash command's response_url)."""

    def __call__(self, text: str = "", *, blocks: list[Block] | None = None,
                 response_type: str | None = None, replace_original: bool | None = None,
                 ) -> Awaitable[Any]: ...


class ResponsePoster:
    """Replies to a slash command: the ack said "working on it", the answer follows once."""

    def __init__(self, respond: Respond) -> None:
        self._respond = respond

    async def start(self, text: str = THINKING) -> None:
        """Nothing to do: the command's acknowledgement already told the user."""

    async def progress(self, text: str) -> None:
        """Nothing: a response_url takes only a few messages, so only the answer is sent."""

    async def finish(self, text: str, blocks: list[Block] | None = None,
                     public: bool = True) -> None:
        """Send the answer to the channel (or only to the user when not `public`)."""
        try:
            sent = await self._respond(text=text, blocks=blocks,
                                       response_type="in_channel" if public else "ephemeral",
                                       replace_original=False)
        except Exception as exc:  # the network, an expired response_url: log, nothing to retry
            log.warning("Slack response_url post failed: %s", exc)
            return
        status = getattr(sent, "status_code", 200)
        if status != 200:
            log.warning("Slack response_url post failed: HTTP %s %s", status,
                        getattr(sent, "body", ""))
