"""Mentions, DMs and threads through the real app's /slack/events and the mock Web API."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bots.slack_blocks import HELPFUL, UNHELPFUL
from bots.slack_history import THINKING
from knowledge.archive import Archive
from tests.api.conftest import FAKE_MODEL
from tests.api.live import LiveServer
from tests.bots.conftest import MakeBot, MakeSettings, post_signed
from tests.fakes import OpenAIFake
from tests.fakes.slack_api import BOT_ID, BOT_USER, SlackAPIFake
from tests.support.slack_requests import (
    direct_message,
    event_body,
    mention,
    signed_headers,
)

QUESTION = "Is congestion charging fair?"


def ask_in_channel(client: TestClient, slack: SlackAPIFake, text: str, *,
                   channel: str = "C0GENERAL", thread_ts: str | None = None,
                   event_id: str | None = None) -> str:
    """Post a mention as Slack would (the message exists, then the event arrives)."""
    ts = slack.add_message(channel, f"<@{BOT_USER}> {text}", thread_ts=thread_ts)
    response = post_signed(client, event_body(
        mention(text, ts=ts, channel=channel, thread_ts=thread_ts), event_id))
    assert response.status_code == 200, response.text
    return ts


def final_message(slack: SlackAPIFake, channel: str, thread_ts: str,
                  after: str | None = None) -> dict[str, Any]:
    """Wait until the bot's reply in a thread (after `after`) is not a placeholder; return it."""
    def bot_replies() -> list[dict[str, Any]]:
        return [m for m in slack.thread(channel, thread_ts)
                if m.get("bot_id") == BOT_ID and float(m["ts"]) > float(after or thread_ts)]

    slack.wait_for(lambda: any(m["text"] != THINKING and not m["text"].endswith(" …")
                               for m in bot_replies()), what=f"a reply in {thread_ts}")
    return bot_replies()[-1]


def links_in(message: dict[str, Any]) -> list[str]:
    """The source links of an answer's context block."""
    return [el["text"] for block in message.get("blocks", []) if block["type"] == "context"
            for el in block["elements"] if el["text"].startswith("[")]


def test_a_mention_gets_a_placeholder_in_its_thread_then_the_answer_with_links(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    ts = ask_in_channel(client, slack, QUESTION)
    answer = final_message(slack, "C0GENERAL", ts)

    placeholder = slack.calls_to("chat.postMessage")[0].args
    assert placeholder["channel"] == "C0GENERAL" and placeholder["thread_ts"] == ts
    assert placeholder["text"] == THINKING
    update = slack.calls_to("chat.update")[-1].args
    assert update["ts"] == answer["ts"] and update["channel"] == "C0GENERAL"
    assert "congestion" in answer["text"].lower()
    sources = links_in(answer)
    assert sources, answer["blocks"]
    assert any("<https://ada-lindqvist.example/2018/02/congestion-charging" in s
               and "Congestion Charging Is a Price" in s for s in sources), sources
    assert all(" · " in s for s in sources)  # each link carries its post's date
    buttons = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    assert [b["action_id"] for b in buttons] == [HELPFUL, UNHELPFUL]
    assert slack.calls_to("auth.test"), "bolt checks the token before the first answer"
    assert all(c.token == slack.token for c in slack.calls)


def test_a_follow_up_in_the_thread_carries_the_thread_as_history(
        make_bot: MakeBot, slack: SlackAPIFake, fake: OpenAIFake) -> None:
    client = make_bot(default_model=FAKE_MODEL, models=[FAKE_MODEL])
    root = slack.add_message("C0GENERAL", f"<@{BOT_USER}> {QUESTION}")
    slack.add_message("C0GENERAL", "Charging drivers is fair because the road is scarce.",
                      user=BOT_USER, bot_id=BOT_ID, thread_ts=root)
    slack.add_message("C0GENERAL", "Deploy finished (a bot, not part of the debate).",
                      user="U0DEPLOY", thread_ts=root, bot_id="B0DEPLOY", subtype="bot_message")
    slack.add_message("C0GENERAL", "<@U0MARIA> what about delivery vans?", user="U0MARIA",
                      thread_ts=root)
    asked = ask_in_channel(client, slack, "And what about people who must drive at night?",
                           thread_ts=root)
    final_message(slack, "C0GENERAL", root, after=asked)

    replies = slack.calls_to("conversations.replies")
    assert replies and replies[0].args["channel"] == "C0GENERAL"
    assert replies[0].args["ts"] == root
    assert slack.calls_to("chat.postMessage")[0].args["thread_ts"] == root
    dialogue = fake.dialogue(fake.requests[-1])
    turns = [(role, text) for role, text in dialogue if role in ("user", "assistant")]
    assert ("user", QUESTION) in turns
    assert ("assistant", "Charging drivers is fair because the road is scarce.") in turns
    assert not any("Deploy finished" in text for _role, text in dialogue)
    assert ("user", "what about delivery vans?") in turns  # people in the thread are heard
    assert "people who must drive at night" in turns[-1][1]


def test_a_direct_message_is_answered_without_a_mention(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    ts = slack.add_message("D0DIRECT", QUESTION)
    assert post_signed(client, event_body(direct_message(QUESTION, ts=ts))).status_code == 200
    answer = final_message(slack, "D0DIRECT", ts)
    assert slack.calls_to("chat.postMessage")[0].args["thread_ts"] == ts
    assert links_in(answer)


def test_a_retried_event_is_answered_once(make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    ts = slack.add_message("C0GENERAL", f"<@{BOT_USER}> {QUESTION}")
    body = event_body(mention(QUESTION, ts=ts), "Ev0RETRIED")
    assert post_signed(client, body).status_code == 200
    final_message(slack, "C0GENERAL", ts)
    for attempt in ("1", "2"):
        again = post_signed(client, body, headers={"X-Slack-Retry-Num": attempt,
                                                   "X-Slack-Retry-Reason": "http_timeout"})
        assert again.status_code == 200  # acknowledged, so Slack stops retrying
    marker = ask_in_channel(client, slack, "What do you think of open-plan offices?")
    final_message(slack, "C0GENERAL", marker)
    placeholders = [c.args["thread_ts"] for c in slack.calls_to("chat.postMessage")]
    assert placeholders == [ts, marker]


def test_the_bot_ignores_its_own_messages_and_other_bots(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    own = direct_message("An answer I wrote", ts="1700000000.000100", user=BOT_USER,
                         bot_id=BOT_ID)
    other = direct_message("Deploy finished", ts="1700000000.000200", user="U0DEPLOY",
                           bot_id="B0DEPLOY", subtype="bot_message")
    bot_mention = {**mention(QUESTION, ts="1700000000.000300"), "bot_id": "B0DEPLOY"}
    for event in (own, other, bot_mention):
        assert post_signed(client, event_body(event)).status_code == 200
    marker = ask_in_channel(client, slack, QUESTION)
    final_message(slack, "C0GENERAL", marker)
    assert [c.args["thread_ts"] for c in slack.calls_to("chat.postMessage")] == [marker]


def test_bad_signatures_stale_timestamps_and_missing_headers_get_401(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    body = event_body(mention(QUESTION, ts="1700000000.000400"))
    now = int(time.time())
    wrong_secret = signed_headers(body, secret="not-the-secret")
    stale = signed_headers(body, timestamp=now - 600)
    tampered = signed_headers(body)
    missing_signature = {k: v for k, v in signed_headers(body).items()
                         if k != "X-Slack-Signature"}
    missing_all = {"Content-Type": "application/json"}
    for headers in (wrong_secret, stale, missing_signature, missing_all):
        response = client.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 401, headers
    changed = body.replace(QUESTION.encode(), b"Something else entirely?")
    assert client.post("/slack/events", content=changed,
                       headers=tampered).status_code == 401
    marker = ask_in_channel(client, slack, QUESTION)
    final_message(slack, "C0GENERAL", marker)
    assert [c.args["thread_ts"] for c in slack.calls_to("chat.postMessage")] == [marker]


def test_slack_url_verification_is_answered(make_bot: MakeBot) -> None:
    client = make_bot()
    body = json.dumps({"type": "url_verification", "challenge": "c4ll3nge",
                       "token": "legacy"}).encode()
    response = post_signed(client, body)
    assert response.status_code == 200 and "c4ll3nge" in response.text


def only_to_the_asker(slack: SlackAPIFake, thread_ts: str) -> dict[str, Any]:
    """Wait for the bot's ephemeral reply in a thread (seen only by who asked)."""
    slack.wait_for(lambda: slack.calls_to("chat.postEphemeral"), what="an ephemeral reply")
    note = slack.calls_to("chat.postEphemeral")[0].args
    assert note["user"] == "U0READER" and note["thread_ts"] == thread_ts
    assert note["channel"] == "C0GENERAL"
    return note


def test_an_empty_mention_gets_the_help_text(make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    ts = ask_in_channel(client, slack, "")
    reply = only_to_the_asker(slack, ts)
    assert "/avatar ask" in reply["text"] and "Ada Lindqvist" in reply["text"]
    assert not slack.calls_to("chat.postMessage")  # no placeholder: help needs no thinking


def test_a_40000_character_message_gets_a_clear_refusal(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    text = ("Congestion charging is unfair to night workers. " * 900)[:40_000]
    assert len(event_body(mention(text, ts="1.0"))) > 80_000  # over the API's 64 kB cap
    ts = ask_in_channel(client, slack, text)
    reply = only_to_the_asker(slack, ts)
    assert "40,000 characters" in reply["text"] and "4,000" in reply["text"]
    assert not slack.calls_to("chat.postMessage")


def test_a_model_failure_turns_the_placeholder_into_an_apology(
        make_bot: MakeBot, slack: SlackAPIFake, fake: OpenAIFake) -> None:
    fake.configure(mode="error", status=503)
    client = make_bot(default_model=FAKE_MODEL, models=[FAKE_MODEL], fallback_models=[])
    ts = ask_in_channel(client, slack, QUESTION)
    reply = final_message(slack, "C0GENERAL", ts)
    assert reply["text"].startswith("Sorry, I couldn't answer that just now")
    assert slack.calls_to("chat.update")[-1].args["ts"] == reply["ts"]


def test_rate_limits_are_waited_out_and_missing_channels_logged(
        make_bot: MakeBot, slack: SlackAPIFake, caplog: pytest.LogCaptureFixture) -> None:
    client = make_bot()
    slack.fail_next("chat.update", "ratelimited", retry_after=1)
    ts = ask_in_channel(client, slack, QUESTION)
    answer = final_message(slack, "C0GENERAL", ts)
    updates = slack.calls_to("chat.update")
    assert len(updates) == 2 and updates[0].args == updates[1].args  # the same call, retried
    assert links_in(answer)

    slack.missing_channels.add("C0GONE")
    with caplog.at_level(logging.WARNING, logger="bots"):
        ask_in_channel(client, slack, QUESTION, channel="C0GONE")
        slack.wait_for(lambda: "channel_not_found" in caplog.text, what="the logged error")
    assert not [c for c in slack.calls_to("chat.update") if c.args["channel"] == "C0GONE"]
    marker = ask_in_channel(client, slack, QUESTION)
    assert links_in(final_message(slack, "C0GENERAL", marker))


def test_events_are_refused_when_slack_is_not_configured(make_bot: MakeBot) -> None:
    client = make_bot(slack_bot_token=None, slack_signing_secret=None)
    response = post_signed(client, event_body(mention(QUESTION, ts="1700000000.000500")))
    assert response.status_code == 404
    assert "SLACK_BOT_TOKEN" in response.json()["detail"]
    assert "SLACK_SIGNING_SECRET" in response.json()["detail"]


def test_a_mention_over_real_http_to_a_running_server(
        slack_settings: MakeSettings, slack: SlackAPIFake, archive: Archive) -> None:
    with LiveServer(create_app(slack_settings(), archive=archive)) as server:
        ts = slack.add_message("C0GENERAL", f"<@{BOT_USER}> {QUESTION}")
        body = event_body(mention(QUESTION, ts=ts))
        response = httpx.post(server.url + "/slack/events", content=body,
                              headers=signed_headers(body), timeout=30)
        assert response.status_code == 200
        assert links_in(final_message(slack, "C0GENERAL", ts))
