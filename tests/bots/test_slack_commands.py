"""`/avatar …` commands, editors' adds and feedback clicks through the real app."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from bots.slack_blocks import HELPFUL, UNHELPFUL
from bots.slack_modal import ADD_VIEW, URLS_BLOCK
from knowledge.archive import Archive
from tests.api.conftest import ADMIN_TOKEN, FAKE_MODEL, admin
from tests.bots.conftest import EDITOR, FORM, MakeBot, post_signed
from tests.bots.test_slack_events import QUESTION, ask_in_channel, final_message
from tests.fakes import OpenAIFake
from tests.fakes.slack_api import SlackAPIFake
from tests.support.slack_requests import action_body, slash_body, view_submission_body
from tests.support.static_server import Route, StaticServer

RARE = "Zwaluwstaart"
PAGE = (f"<html><head><title>On Dovetail Joints</title></head><body><nav>Home | About</nav>"
        f"<article><h1>On Dovetail Joints</h1><p>My grandfather called the {RARE} joint the "
        "honest joint. It holds without glue because its shape does the work, and I think "
        "good rules are like that: they hold because of how they are made.</p><p>I have "
        "cut dozens of them in my shed since, and every one taught me patience.</p>"
        "</article></body></html>")


def slash(client: TestClient, slack: SlackAPIFake, text: str,
          user: str = "U0READER") -> tuple[Any, str]:
    """Send `/avatar TEXT`; the HTTP reply (the ack) and the command's response_url hook."""
    url = slack.response_url()
    response = post_signed(client, slash_body(text, response_url=url, user=user),
                           content_type=FORM)
    assert response.status_code == 200, response.text
    return response, url.rsplit("/", 1)[1]


def answer_to(slack: SlackAPIFake, hook: str) -> dict[str, Any]:
    """Wait for the response_url post of one command."""
    slack.wait_for(lambda: [r for r in slack.responses if r["hook"] == hook],
                   what=f"the answer on response_url {hook}")
    return next(r for r in slack.responses if r["hook"] == hook)


def test_ask_is_acknowledged_at_once_and_answered_in_the_channel_after(
        make_bot: MakeBot, slack: SlackAPIFake, fake: OpenAIFake) -> None:
    fake.configure(hold_after=1)  # the model stalls until released: the ack cannot wait
    client = make_bot(default_model=FAKE_MODEL, models=[FAKE_MODEL])
    ack, hook = slash(client, slack, f"ask {QUESTION}")
    assert ack.text == "Thinking about it…"
    assert not slack.responses, "the answer came before the acknowledgement"
    fake.release()
    answer = answer_to(slack, hook)
    assert answer["response_type"] == "in_channel" and answer["replace_original"] is False
    assert "pay for what they use" in answer["text"]
    kinds = [b["type"] for b in answer["blocks"]]
    assert kinds[0] == "context" and QUESTION in answer["blocks"][0]["elements"][0]["text"]
    assert "context" in kinds[1:] and kinds[-1] == "actions"


def test_debate_passes_the_readers_side_to_the_avatar(
        make_bot: MakeBot, slack: SlackAPIFake, fake: OpenAIFake) -> None:
    client = make_bot(default_model=FAKE_MODEL, models=[FAKE_MODEL])
    _ack, hook = slash(client, slack, "debate against congestion charging is fair")
    answer_to(slack, hook)
    brief = fake.dialogue(fake.requests[-1])[1][1]  # the fenced archive and the debate brief
    assert "The reader argues against the motion." in brief
    assert "congestion charging is fair" in json.dumps(fake.requests[-1].body)


def test_search_topics_and_help_answer_only_the_user(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    _ack, hook = slash(client, slack, "search congestion charging")
    found = answer_to(slack, hook)
    assert found["response_type"] == "ephemeral"
    assert "<https://ada-lindqvist.example/2018/02/congestion-charging" in json.dumps(
        found["blocks"])
    _ack, hook = slash(client, slack, "topics")
    topics = answer_to(slack, hook)
    assert topics["response_type"] == "ephemeral" and "posts" in json.dumps(topics["blocks"])
    for text in ("help", "", "search"):
        _ack, hook = slash(client, slack, text)
        assert "/avatar debate [for|against]" in answer_to(slack, hook)["text"]


def test_an_editor_adds_a_page_and_anyone_else_is_refused(
        make_bot: MakeBot, slack: SlackAPIFake, fresh_archive: Archive) -> None:
    with StaticServer() as site:
        url = site.add_route("/2024/05/dovetails.html", Route(body=PAGE.encode()))
        client = make_bot(archive_=fresh_archive, allow_private_urls=True)
        _ack, hook = slash(client, slack, f"add <{url}>", user="U0STRANGER")
        refusal = answer_to(slack, hook)
        assert "only the archive's editors can add posts" in refusal["text"]
        assert refusal["response_type"] == "ephemeral"
        assert site.count("/2024/05/dovetails.html") == 0
        assert not fresh_archive.search(RARE)

        ack, hook = slash(client, slack, f"add <{url}>", user=EDITOR)
        assert ack.text == "Working on it…"
        report = answer_to(slack, hook)
        assert report["text"].startswith("Added 1, updated 0, unchanged 0.")
    hits = fresh_archive.search(RARE)
    assert hits and hits[0].title == "On Dovetail Joints"


def test_an_editor_without_a_url_gets_a_form_and_the_report_in_a_dm(
        make_bot: MakeBot, slack: SlackAPIFake, fresh_archive: Archive) -> None:
    with StaticServer() as site:
        url = site.add_route("/2024/05/dovetails.html", Route(body=PAGE.encode()))
        client = make_bot(archive_=fresh_archive, allow_private_urls=True)
        _ack, hook = slash(client, slack, "add", user="U0STRANGER")
        assert "only the archive's editors" in answer_to(slack, hook)["text"]
        assert not slack.calls_to("views.open")

        slash(client, slack, "add", user=EDITOR)
        slack.wait_for(lambda: slack.calls_to("views.open"), what="the add form")
        opened = slack.calls_to("views.open")[0].args
        assert opened["trigger_id"].endswith(".trigger")
        view = opened["view"] if isinstance(opened["view"], dict) else json.loads(
            opened["view"])
        assert view["callback_id"] == ADD_VIEW

        empty = post_signed(client, view_submission_body(ADD_VIEW, URLS_BLOCK, "none here",
                                                         user=EDITOR), content_type=FORM)
        assert empty.json() == {"response_action": "errors",
                                "errors": {URLS_BLOCK: "Give at least one http(s) URL."}}
        done = post_signed(client, view_submission_body(ADD_VIEW, URLS_BLOCK, f"{url}\n",
                                                        user=EDITOR), content_type=FORM)
        assert done.status_code == 200
        slack.wait_for(lambda: any(c.args.get("text", "").startswith("Added 1")
                                   for c in slack.calls_to("chat.update")),
                       what="the add report")
    posted = slack.calls_to("chat.postMessage")[-1].args
    assert posted["channel"] == EDITOR and "thread_ts" not in posted
    assert fresh_archive.search(RARE)


def test_an_editor_add_of_a_private_address_is_refused_by_default(
        make_bot: MakeBot, slack: SlackAPIFake, fresh_archive: Archive) -> None:
    client = make_bot(archive_=fresh_archive)
    _ack, hook = slash(client, slack, "add http://127.0.0.1:9/secret", user=EDITOR)
    text = answer_to(slack, hook)["text"]
    assert text.startswith("Nothing was added") and "127.0.0.1" in text


def test_a_feedback_click_lands_in_the_same_store_as_the_pages(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    ts = ask_in_channel(client, slack, QUESTION)
    answer = final_message(slack, "C0GENERAL", ts)
    buttons = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    for button, helpful in zip(buttons, (True, False), strict=True):
        body = action_body(button["action_id"], button["value"], message=answer,
                           response_url=slack.response_url())
        assert post_signed(client, body, content_type=FORM).status_code == 200
        slack.wait_for(lambda h=helpful: any(  # type: ignore[misc]
            r.get("helpful") is h for r in client.get(
                "/v1/feedback", headers=admin(ADMIN_TOKEN)).json()["feedback"]),
            what="the feedback record")
    records = client.get("/v1/feedback", headers=admin()).json()["feedback"]
    assert {r["helpful"] for r in records} == {True, False}
    record = records[0]
    assert record["surface"] == "slack" and record["question"] == QUESTION
    assert record["model"] == "extractive" and record["user"] == "U0READER"
    assert record["reply"] == answer["text"].replace("&amp;", "&") and record["reply"]
    assert record["citations"] and record["citations"][0]["url"].startswith("https://")
    assert [b["action_id"] for b in buttons] == [HELPFUL, UNHELPFUL]
    slack.wait_for(lambda: len(slack.calls_to("chat.postEphemeral")) == 2,
                   what="the thank-you notes")


def test_an_add_form_that_cannot_open_falls_back_to_instructions(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot()
    slack.fail_next("views.open", "expired_trigger_id")
    _ack, hook = slash(client, slack, "add", user=EDITOR)
    answer = answer_to(slack, hook)
    assert answer["response_type"] == "ephemeral" and "/avatar add https://" in answer["text"]
