"""Slack answers as Slack people expect: block quotes, compact sources, search lines, refusals."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack_app import build_slack_app
from bots.slack_blocks import answer_blocks
from persona.replies import Citation, Reply
from tests.bots.conftest import MakeBot
from tests.bots.test_slack_commands import answer_to, slash
from tests.bots.test_slack_events import QUESTION, ask_in_channel, only_to_the_asker
from tests.fakes.slack_api import SlackAPIFake

EXTRACTIVE = ('As I wrote in “Who Pays for the Plumbing?” (2016): "I believe companies that '
              'depend on open-source software have a responsibility to pay." [1]\n\n'
              "I have also written:\n"
              '- in “Boring Software” (2022): "Every company above a modest size should fund '
              'its dependencies." [2]\n\nRegards, Ada')


def cited(n: int) -> Citation:
    return Citation(n=n, post_id=f"p{n}", title=f"Post {n}", url=f"https://blog.example/{n}",
                    source="feed", published=date(2016, 6, 6), quote="A quote.")


def body_text(blocks: list[dict[str, Any]]) -> str:
    return "\n\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def test_quoted_passages_are_slack_block_quotes() -> None:
    reply = Reply(text=EXTRACTIVE, model="extractive", citations=[cited(1), cited(2)])
    text = body_text(answer_blocks(reply, "Should firms pay?"))
    assert "(2016):\n>I believe companies that depend on open-source software" in text
    assert "have a responsibility to pay. [1]" in text
    assert "• in “Boring Software” (2022):\n>Every company above" in text
    assert '"I believe' not in text


def test_a_models_markdown_quote_stays_a_quote_and_other_markup_stays_escaped() -> None:
    reply = Reply(text="> Cities should price roads.\n\nSo I said <!here> [1].",
                  model="fake", citations=[cited(1)])
    text = body_text(answer_blocks(reply, "Q"))
    assert text.startswith(">Cities should price roads.")
    assert "&lt;!here&gt;" in text and "<!here>" not in text


def test_sources_are_one_compact_context_block() -> None:
    reply = Reply(text="Yes [1][2].", model="extractive", citations=[cited(1), cited(2)])
    blocks = answer_blocks(reply, "Q")
    contexts = [b for b in blocks if b["type"] == "context"]
    assert len(contexts) == 1
    assert [e["text"] for e in contexts[0]["elements"]] == [
        "[1] <https://blog.example/1|Post 1> · 2016", "[2] <https://blog.example/2|Post 2> · 2016"]


def test_search_lists_title_date_and_a_one_line_snippet(make_bot: MakeBot,
                                                        slack: SlackAPIFake) -> None:
    client = make_bot()
    _ack, hook = slash(client, slack, "search open-source maintainers")
    found = answer_to(slack, hook)
    results = found["blocks"][1:]
    assert results
    for block in results:
        head, snippet = block["text"]["text"].split("\n")
        assert head.startswith("*<https://ada-lindqvist.example/") and " · " in head
        assert head.rsplit(" · ", 1)[1][-4:].isdigit()   # "6 Jun 2016"
        assert 20 < len(snippet) <= 160 and not snippet.startswith(">")
    first = found["text"].split("\n")[0]
    assert "(" in first and "): " in first   # "Title (6 Jun 2016): snippet"


def test_a_non_editors_add_is_refused_without_working_on_it(make_bot: MakeBot,
                                                            slack: SlackAPIFake) -> None:
    client = make_bot()
    ack, hook = slash(client, slack, "add <https://blog.example/new>", user="U0STRANGER")
    assert "Working on it" not in ack.text
    assert "only the archive's editors" in answer_to(slack, hook)["text"]


def test_a_too_long_slash_question_is_refused_without_thinking_about_it(
        make_bot: MakeBot, slack: SlackAPIFake) -> None:
    client = make_bot(max_message_chars=50)
    ack, hook = slash(client, slack, "ask " + "why " * 40)
    assert "Thinking" not in ack.text
    assert "at most 50" in answer_to(slack, hook)["text"]


def test_a_rate_limited_mention_gets_no_placeholder(make_bot: MakeBot,
                                                    slack: SlackAPIFake) -> None:
    client = make_bot(rate_limit_per_minute=1)
    ask_in_channel(client, slack, QUESTION)
    slack.wait_for(lambda: slack.calls_to("chat.postMessage"), what="the first answer")
    posted = len(slack.calls_to("chat.postMessage"))
    second = ask_in_channel(client, slack, QUESTION + " Again?")
    note = only_to_the_asker(slack, second)
    assert "faster than I can think" in note["text"]
    assert len(slack.calls_to("chat.postMessage")) == posted


def test_starting_the_bot_logs_no_unused_token_warning(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    caplog.set_level(logging.WARNING)
    client = AsyncWebClient(token="xoxb-from-the-environment")
    build_slack_app(services=None, client=client, signing_secret="s")  # type: ignore[arg-type]
    assert not [r for r in caplog.records if "will be unused" in r.getMessage()]

