"""Slack faults: malformed bodies, unsafe streamed text, duplicates, outlasted rate limits."""

from __future__ import annotations

import json

from bots.slack_replies import FALLBACK
from knowledge.archive import Archive
from tests.api.conftest import FAKE_MODEL
from tests.bots.conftest import EDITOR, FORM, MakeBot, post_signed
from tests.bots.test_slack_events import (
    QUESTION,
    ask_in_channel,
    final_message,
    links_in,
    only_to_the_asker,
)
from tests.fakes import OpenAIFake
from tests.fakes.slack_api import BOT_ID, BOT_USER, SlackAPIFake
from tests.support.sample import SAMPLE_POSTS
from tests.support.slack_requests import (
    direct_message,
    event_body,
    mention,
    view_submission_body,
)


def test_malformed_bodies_get_401_unsigned_and_400_signed(make_bot: MakeBot) -> None:
    client = make_bot()
    for body, kind in ((b"{", "application/json"), (b"[1]", "application/json"),
                       (b"payload=%7Bbad", FORM)):
        unsigned = client.post("/slack/events", content=body, headers={"Content-Type": kind})
        assert unsigned.status_code == 401, body
        signed = post_signed(client, body, content_type=kind)
        assert signed.status_code in (400, 401), (body, signed.status_code)
        assert signed.status_code != 500
    bad_stamp = client.post("/slack/events", content=b"{}", headers={
        "X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"})
    assert bad_stamp.status_code == 401


def test_streamed_progress_is_escaped_so_model_text_cannot_ping_the_channel(
        make_bot: MakeBot, slack: SlackAPIFake, fake: OpenAIFake) -> None:
    fake.configure(reply="Hear this <!channel> and <@U0BOSS>: see <https://evil.example|"
                         "the official source> [1].", pieces=5, delay=0.05)
    client = make_bot(default_model=FAKE_MODEL, models=[FAKE_MODEL], slack_update_seconds=0)
    ts = ask_in_channel(client, slack, QUESTION)
    answer = final_message(slack, "C0GENERAL", ts)
    updates = [c.args["text"] for c in slack.calls_to("chat.update")]
    assert len(updates) >= 3  # progress edits, then the answer
    assert any(t.endswith(" …") for t in updates)
    for text in [*updates, answer["text"], json.dumps(answer["blocks"])]:
        assert "<!channel>" not in text and "<@U0BOSS>" not in text
        assert "<https://evil.example" not in text
    assert "&lt;!channel&gt;" in answer["text"]


def test_a_dm_that_mentions_the_bot_is_answered_once(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    text = f"<@{BOT_USER}> {QUESTION}"
    ts = slack.add_message("D0DIRECT", text)
    as_message = direct_message(text, ts=ts)
    as_mention = {**mention(QUESTION, ts=ts, channel="D0DIRECT"), "channel_type": "im"}
    assert post_signed(client, event_body(as_message)).status_code == 200
    assert post_signed(client, event_body(as_mention)).status_code == 200
    final_message(slack, "D0DIRECT", ts)
    marker = slack.add_message("D0DIRECT", "What about open-plan offices?")
    post_signed(client, event_body(direct_message("What about open-plan offices?", ts=marker)))
    final_message(slack, "D0DIRECT", marker)
    assert [c.args["thread_ts"] for c in slack.calls_to("chat.postMessage")] == [ts, marker]


def test_an_answer_survives_outlasted_rate_limits_and_refused_blocks(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    for _ in range(3):  # the first try and both retries
        slack.fail_next("chat.update", "ratelimited", retry_after=1)
    ts = ask_in_channel(client, slack, QUESTION)
    slack.wait_for(lambda: any(FALLBACK in c.args.get("text", "")
                               for c in slack.calls_to("chat.update")), what="the fallback")
    placeholder = slack.calls_to("chat.postMessage")[0]
    shown = next(m for m in slack.thread("C0GENERAL", ts) if m["ts"] != ts)
    assert shown["text"].endswith(FALLBACK) and "congestion" in shown["text"].lower()
    assert placeholder.args["thread_ts"] == ts

    slack.fail_next("chat.update", "invalid_blocks")
    slack.fail_next("chat.update", "message_not_found")
    again = ask_in_channel(client, slack, QUESTION)
    slack.wait_for(lambda: len([c for c in slack.calls_to("chat.postMessage")
                                if c.args.get("thread_ts") == again]) == 2,
                   what="the answer posted anew")
    last = slack.calls_to("chat.postMessage")[-1].args
    assert last["thread_ts"] == again and last["text"].endswith(FALLBACK)


def test_a_long_thread_is_read_page_by_page_up_to_the_current_message(
        make_bot: MakeBot, slack: SlackAPIFake, fake: OpenAIFake) -> None:
    slack.replies_page = 3
    client = make_bot(default_model=FAKE_MODEL, models=[FAKE_MODEL])
    root = slack.add_message("C0GENERAL", f"<@{BOT_USER}> {QUESTION}")
    for n in range(4):
        slack.add_message("C0GENERAL", f"Point number {n} about the charge.", thread_ts=root)
        slack.add_message("C0GENERAL", f"Reply number {n}.", user=BOT_USER, bot_id=BOT_ID,
                          thread_ts=root)
    asked = ask_in_channel(client, slack, "So what is your final word?", thread_ts=root)
    final_message(slack, "C0GENERAL", root, after=asked)
    pages = slack.calls_to("conversations.replies")
    assert len(pages) == 4 and [p.args.get("cursor") for p in pages][1:] == [
        "off:3", "off:6", "off:9"]
    said = [text for _role, text in fake.dialogue(fake.requests[-1])]
    assert "Point number 3 about the charge." in said and "Reply number 3." in said


def test_adds_by_mention_and_forged_forms_respect_the_editor_list(
        make_bot: MakeBot, slack: SlackAPIFake, fresh_archive: Archive) -> None:
    client = make_bot(archive_=fresh_archive)
    ts = ask_in_channel(client, slack, "add https://blog.example/new-post")
    note = only_to_the_asker(slack, ts)
    assert "only the archive's editors can add posts" in note["text"]
    forged = view_submission_body("avatar_add", "urls", "https://blog.example/x",
                                  user="U0READER")
    assert post_signed(client, forged, content_type=FORM).status_code == 200
    slack.wait_for(lambda: any("only the archive's editors" in c.args["text"]
                               for c in slack.calls_to("chat.postMessage")),
                   what="the refusal by DM")
    assert fresh_archive.count_posts() == SAMPLE_POSTS

    editor_ts = slack.add_message("C0GENERAL", f"<@{BOT_USER}> add http://127.0.0.1:9/x",
                                  user=EDITOR)
    post_signed(client, event_body(mention("add http://127.0.0.1:9/x", ts=editor_ts,
                                           user=EDITOR)))
    slack.wait_for(lambda: any(c.args.get("text", "").startswith("Nothing was added")
                               for c in slack.calls_to("chat.update")),
                   what="the editor's add report")  # private address refused by default


def test_a_user_asking_too_fast_is_told_to_wait(make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot(rate_limit_per_minute=1)
    first = ask_in_channel(client, slack, QUESTION)
    assert links_in(final_message(slack, "C0GENERAL", first))
    posted = len(slack.calls_to("chat.postMessage"))
    ask_in_channel(client, slack, QUESTION)
    # The refusal is the only reply, and only to the asker: no "thinking…" placeholder first.
    slack.wait_for(lambda: any("faster than I can think" in c.args.get("text", "")
                               for c in slack.calls_to("chat.postEphemeral")),
                   what="the refusal")
    assert len(slack.calls_to("chat.postMessage")) == posted
