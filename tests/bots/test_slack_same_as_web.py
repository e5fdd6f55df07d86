"""Slack and the web give the same answers: one question, the same posts cited."""

from __future__ import annotations

import re

import pytest

from tests.bots.conftest import MakeBot
from tests.bots.test_slack_events import ask_in_channel, final_message, links_in
from tests.fakes.slack_api import SlackAPIFake


@pytest.mark.parametrize("question", [
    "Is congestion charging fair?",
    "Should companies pay for the open-source software they depend on?",
    "What do you think about nuclear power?",
])
def test_slack_and_the_chat_api_cite_the_same_posts(
        make_bot: MakeBot, slack: SlackAPIFake, question: str) -> None:
    client = make_bot()
    web = client.post("/v1/chat", json={"message": question, "history": []})
    assert web.status_code == 200, web.text
    web_urls = [c["url"] for c in web.json()["citations"]]
    assert web_urls

    answer = final_message(slack, "C0GENERAL", ask_in_channel(client, slack, question))
    slack_urls = [re.search(r"<([^|>]+)\|", line).group(1)  # type: ignore[union-attr]
                  for line in links_in(answer)]
    assert slack_urls == web_urls
    assert answer["text"].replace("&amp;", "&") == web.json()["text"]
