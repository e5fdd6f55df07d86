"""Requests as Slack sends them to /slack/events: signed bodies for events, commands, clicks."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.fakes.slack_api import BOT_USER, TEAM

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
_ids = itertools.count(1)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 request signature."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   content_type: str = "application/json") -> dict[str, str]:
    """The headers Slack sends with a body: timestamp and signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret, ts, body)}


def event_body(event: dict[str, Any], event_id: str | None = None) -> bytes:
    """An Events API envelope around one event."""
    envelope = {
        "token": "legacy-unused", "team_id": TEAM, "api_app_id": "A0AVATAR",
        "type": "event_callback", "event": event,
        "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }
    return json.dumps(envelope).encode()


def mention(text: str, *, ts: str, channel: str = "C0GENERAL", user: str = "U0READER",
            thread_ts: str | None = None) -> dict[str, Any]:
    """An app_mention event (the text starts with the bot's mention), blocks included."""
    # Slack sends the message twice: as text and as rich-text blocks.
    blocks = [{"type": "rich_text", "block_id": "b1", "elements": [{
        "type": "rich_text_section",
        "elements": [{"type": "user", "user_id": BOT_USER}, {"type": "text", "text": text}]}]}]
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}".rstrip(),
             "ts": ts, "channel": channel, "event_ts": ts, "blocks": blocks}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, *, ts: str, channel: str = "D0DIRECT", user: str = "U0READER",
                   **extra: Any) -> dict[str, Any]:
    """A message.im event."""
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts,
            "channel": channel, "event_ts": ts, **extra}


def slash_body(text: str, *, response_url: str, user: str = "U0READER",
               channel: str = "C0GENERAL") -> bytes:
    """The form a `/avatar …` command posts."""
    return urlencode({
        "token": "legacy-unused", "team_id": TEAM, "channel_id": channel, "user_id": user,
        "user_name": user.lower(), "command": "/avatar", "text": text,
        "response_url": response_url, "trigger_id": f"{next(_ids)}.trigger",
        "api_app_id": "A0AVATAR",
    }).encode()


def action_body(action_id: str, value: str, *, message: dict[str, Any], response_url: str,
                user: str = "U0READER", channel: str = "C0GENERAL") -> bytes:
    """The form a button click posts (block_actions)."""
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": user},
        "api_app_id": "A0AVATAR", "container": {"type": "message", "channel_id": channel,
                                                "message_ts": message.get("ts", "")},
        "channel": {"id": channel}, "message": message, "response_url": response_url,
        "trigger_id": f"{next(_ids)}.trigger",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "avatar_feedback",
                     "value": value, "action_ts": str(time.time())}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def view_submission_body(callback_id: str, block: str, text: str, *,
                         user: str = "U0READER") -> bytes:
    """The form a modal's submit posts (view_submission), one plain-text input filled in."""
    payload = {
        "type": "view_submission", "team": {"id": TEAM}, "user": {"id": user},
        "api_app_id": "A0AVATAR", "trigger_id": f"{next(_ids)}.trigger",
        "view": {"id": "V0MODAL", "type": "modal", "callback_id": callback_id,
                 "state": {"values": {block: {block: {"type": "plain_text_input",
                                                      "value": text}}}}},
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
