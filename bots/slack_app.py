"""The slack-bolt app: mentions, DMs, `/avatar`, feedback buttons; for HTTP or Socket Mode."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_blocks import HELPFUL, UNHELPFUL
from bots.slack_bot import SlackBot
from bots.slack_commands import Command, parse_command
from bots.slack_history import BotIdentity, Thread, read_thread
from bots.slack_modal import ADD_VIEW, URLS_BLOCK, add_view, submitted_urls
from bots.slack_replies import Respond, ResponsePoster, ThreadPoster, slack_call
from bots.slack_retries import SeenEvents, retry_guard
from bots.slack_services import BotServices
from bots.slack_text import unescape

log = logging.getLogger(__name__)

SLASH = "/avatar"
THREAD_LIMIT = 100  # earlier messages read from a thread (the avatar keeps the last few turns)


def build_slack_app(services: BotServices, client: AsyncWebClient, signing_secret: str,
                    seen: SeenEvents | None = None) -> AsyncApp:
    """The bolt app answering with these services through this Web API client."""
    app = AsyncApp(client=client, signing_secret=signing_secret,
                   process_before_response=False, name="debate-avatar")
    app.use(retry_guard(seen or SeenEvents()))
    bot = SlackBot(services)

    @app.event("app_mention")
    async def mention(event: dict[str, Any], client: AsyncWebClient,
                      context: AsyncBoltContext) -> None:
        await _answer_event(bot, client, context, event)

    @app.event("message")
    async def message(event: dict[str, Any], client: AsyncWebClient,
                      context: AsyncBoltContext) -> None:
        # In channels the bot answers mentions only (app_mention); a DM needs no mention.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await _answer_event(bot, client, context, event)

    @app.command(SLASH)
    async def slash(ack: Any, command: dict[str, Any], respond: Respond,
                    client: AsyncWebClient) -> None:
        request = parse_command(command.get("text", ""))
        user = command.get("user_id", "")
        if request.verb == "add" and not request.urls and user in services.editors:
            await ack()  # an editor with no URL yet: a form to paste them into
            await slack_call(client.views_open(trigger_id=command.get("trigger_id", ""),
                                               view=add_view()), "views.open")
            return
        # Slack wants the ack within 3 s; the answer follows through the response_url.
        said = _ack_text(request)
        await (ack(text=said) if said else ack())
        await bot.handle(request, user=user, poster=ResponsePoster(respond),
                         asked_by=command.get("user_id") if request.verb in ("ask", "debate")
                         else None)

    @app.view(ADD_VIEW)
    async def add_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any],
                            client: AsyncWebClient) -> None:
        urls = submitted_urls(view)
        if not urls:
            await ack(response_action="errors",
                      errors={URLS_BLOCK: "Give at least one http(s) URL."})
            return
        await ack()
        user = body.get("user", {}).get("id", "")
        # The report goes to the editor's DM with the bot (the modal is gone by then).
        await bot.handle(Command("add", urls=tuple(urls)), user=user,
                         poster=ThreadPoster(client, user, ""))

    @app.action(HELPFUL)
    @app.action(UNHELPFUL)
    async def feedback(ack: Any, body: dict[str, Any], action: dict[str, Any],
                       client: AsyncWebClient) -> None:
        await ack()
        record = feedback_record(body, action)
        if record is None:
            log.warning("ignoring a feedback click with an unreadable value")
            return
        await asyncio.to_thread(services.record_feedback, record)
        user = body.get("user", {}).get("id", "")
        channel = body.get("channel", {}).get("id", "")
        if user and channel:
            await slack_call(client.chat_postEphemeral(
                channel=channel, user=user, text="Thanks, your feedback is noted."),
                "chat.postEphemeral")

    return app


async def _answer_event(bot: SlackBot, client: AsyncWebClient, context: AsyncBoltContext,
                        event: dict[str, Any]) -> None:
    """A mention or DM: reply in its thread, with the thread so far as history."""
    if event.get("bot_id"):
        return  # other bots (our own are dropped by bolt already): no bot-to-bot loops
    channel, ts = str(event.get("channel", "")), str(event.get("ts", ""))
    thread_ts = str(event.get("thread_ts") or ts)
    request = parse_command(event.get("text", ""))
    thread = Thread([], None)
    if thread_ts != ts:
        me = BotIdentity(context.bot_user_id or "", context.bot_id or "")
        thread = await _thread(client, channel, thread_ts, ts, me)
    if request.verb == "ask" and thread.opening and thread.opening.verb == "debate":
        # A follow-up in a debate thread goes on with the debate, on the same side.
        request = Command("debate", request.text, side=thread.opening.side)
    await bot.handle(request, user=str(event.get("user", "")),
                     poster=ThreadPoster(client, channel, thread_ts), history=thread.turns)


async def _thread(client: AsyncWebClient, channel: str, thread_ts: str, current: str,
                  me: BotIdentity) -> Thread:
    """The thread's earlier messages as turns (none when Slack will not give them)."""
    found = await slack_call(client.conversations_replies(
        channel=channel, ts=thread_ts, limit=THREAD_LIMIT), "conversations.replies")
    messages: list[dict[str, Any]] = found.get("messages", []) if found is not None else []
    return read_thread(messages, me, current)


def _ack_text(request: Command) -> str | None:
    if request.verb in ("ask", "debate"):
        return "Thinking about it…"
    if request.verb == "add":
        return "Working on it…"
    return None


def feedback_record(body: dict[str, Any], action: dict[str, Any]) -> dict[str, Any] | None:
    """The feedback store's record (as the chat page sends it) from a button click."""
    try:
        value = json.loads(action.get("value") or "")
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    message = body.get("message") or {}
    return {
        "question": str(value.get("q", "")), "reply": unescape(str(message.get("text", ""))),
        "model": str(value.get("m", "")), "citations": list(value.get("c") or []),
        "helpful": action.get("action_id") == HELPFUL, "surface": "slack",
        "user": body.get("user", {}).get("id", ""),
    }
