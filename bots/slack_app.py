"""The slack-bolt app: mentions, DMs, `/avatar`, feedback buttons; for HTTP or Socket Mode."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_blocks import HELPFUL, UNHELPFUL
from bots.slack_bot import NO_URL, SlackBot
from bots.slack_commands import Command, parse_command
from bots.slack_history import BotIdentity, Thread, read_thread
from bots.slack_modal import ADD_VIEW, URLS_BLOCK, add_view, submitted_urls
from bots.slack_replies import CannotPost, Respond, ResponsePoster, ThreadPoster, slack_call
from bots.slack_retries import SeenEvents, retry_guard
from bots.slack_services import BotServices
from bots.slack_text import unescape

log = logging.getLogger(__name__)

SLASH = "/avatar"
THREAD_PAGE = 100  # messages per conversations.replies page
THREAD_PAGES = 10  # pages read at most: a thread of 1,000 messages is history enough


class _NoUnusedTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment although we hand it the client (built
    from that very token): its "`token` will be unused" warning says nothing to an operator."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop that one warning."""
        return "`token` will be unused" not in record.getMessage()


_BOLT_LOG = logging.getLogger("slack_bolt.AsyncApp")
_BOLT_LOG.addFilter(_NoUnusedTokenWarning())


def build_slack_app(services: BotServices, client: AsyncWebClient, signing_secret: str,
                    seen: SeenEvents | None = None) -> AsyncApp:
    """The bolt app answering with these services through this Web API client."""
    app = AsyncApp(client=client, signing_secret=signing_secret,
                   process_before_response=False, name="debate-avatar")
    app.use(retry_guard(seen or SeenEvents()))
    bot = SlackBot(services)
    answered = SeenEvents()  # channel:ts of messages already taken on

    @app.event("app_mention")
    async def mention(event: dict[str, Any], client: AsyncWebClient,
                      context: AsyncBoltContext) -> None:
        await _answer_event(bot, client, context, event, answered)

    @app.event("message")
    async def message(event: dict[str, Any], client: AsyncWebClient,
                      context: AsyncBoltContext) -> None:
        # In channels the bot answers mentions only (app_mention); a DM needs no mention.
        if event.get("channel_type") != "im" or event.get("subtype"):
            return
        await _answer_event(bot, client, context, event, answered)

    @app.command(SLASH)
    async def slash(ack: Any, command: dict[str, Any], respond: Respond,
                    client: AsyncWebClient) -> None:
        request = parse_command(command.get("text", ""))
        user = command.get("user_id", "")
        if request.verb == "add" and not request.urls and user in services.editors:
            await ack()  # an editor with no URL yet: a form to paste them into
            if not await slack_call(client.views_open(
                    trigger_id=command.get("trigger_id", ""), view=add_view()), "views.open"):
                await ResponsePoster(respond).finish(NO_URL, public=False)
            return
        # A refusal comes first and alone: never "working on it" and then "you may not".
        refused = bot.refusal(request, user)
        # Slack wants the ack within 3 s; the answer follows through the response_url.
        said = None if refused else _ack_text(request)
        await (ack(text=said) if said else ack())
        await bot.handle(request, user=user, poster=ResponsePoster(respond),
                         asked_by=user if request.verb in ("ask", "debate") else None,
                         refusal=refused, checked=True)

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
                         poster=ThreadPoster(client, user))

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
                        event: dict[str, Any], answered: SeenEvents) -> None:
    """A mention or DM: reply in its thread, with the thread so far as history."""
    if event.get("bot_id"):
        return  # other bots (our own are dropped by bolt already): no bot-to-bot loops
    channel, ts = str(event.get("channel", "")), str(event.get("ts", ""))
    if not answered.first_time(f"{channel}:{ts}"):
        return  # a DM that mentions the bot arrives as message.im and as app_mention
    thread_ts = str(event.get("thread_ts") or ts)
    me = BotIdentity(context.bot_user_id or "", context.bot_id or "")
    text = str(event.get("text", ""))
    if me.user_id:
        text = text.replace(f"<@{me.user_id}>", " ")
    request = parse_command(text)
    user = str(event.get("user", ""))
    poster = ThreadPoster(client, channel, thread_ts, user=user)
    refused = bot.refusal(request, user)
    if request.verb in ("ask", "debate") and not refused:
        try:
            await poster.start()  # "thinking…" at once, before the thread is read
        except CannotPost:
            return
    thread = Thread([], None)
    if thread_ts != ts:
        thread = await _thread(client, channel, thread_ts, ts, me)
    if request.verb == "ask" and thread.opening and thread.opening.verb == "debate":
        # A follow-up in a debate thread goes on with the debate, on the same side.
        request = Command("debate", request.text, side=thread.opening.side)
    await bot.handle(request, user=user, poster=poster, history=thread.turns, refusal=refused,
                     checked=True)


async def _thread(client: AsyncWebClient, channel: str, thread_ts: str, current: str,
                  me: BotIdentity) -> Thread:
    """The thread's messages up to the current one, as turns (none if Slack refuses)."""
    messages: list[dict[str, Any]] = []
    cursor = ""
    for _page in range(THREAD_PAGES):
        found = await slack_call(client.conversations_replies(
            channel=channel, ts=thread_ts, limit=THREAD_PAGE, cursor=cursor or None),
            "conversations.replies")
        if found is None:
            break
        messages.extend(found.get("messages", []))
        cursor = (found.get("response_metadata") or {}).get("next_cursor", "")
        if not cursor or any(m.get("ts") == current for m in messages):
            break
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
