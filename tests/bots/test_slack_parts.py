"""The bot's pieces on their own: reading commands, Slack markup, blocks, threads, retries."""

from __future__ import annotations

import json
from datetime import date

from bots.slack_blocks import (
    BUTTON_VALUE_CHARS,
    SECTION_CHARS,
    answer_blocks,
    citation_line,
    feedback_value,
    text_sections,
)
from bots.slack_commands import Command, parse_command
from bots.slack_history import THINKING, BotIdentity, read_thread
from bots.slack_retries import SeenEvents
from bots.slack_text import escape, link, plain_text, urls_in
from persona.messages import Turn
from persona.replies import Citation, Reply

ME = BotIdentity("UAVATAR", "BAVATAR")


def citation(n: int = 1, title: str = "Congestion <b>Charging</b> | Fair?") -> Citation:
    return Citation(n=n, post_id=f"https://blog.example/{n}", title=title,
                    url=f"https://blog.example/{n}", source="feed",
                    published=date(2018, 2, 26), quote="A price, not a punishment.")


def test_commands_are_read_with_their_verb_side_and_urls() -> None:
    assert parse_command("<@UAVATAR> is congestion charging fair?") == Command(
        "ask", "is congestion charging fair?")
    assert parse_command("ask: why?") == Command("ask", "why?")
    assert parse_command("debate against: taxes are theft") == Command(
        "debate", "taxes are theft", side="against")
    assert parse_command("DEBATE For remote work wins") == Command(
        "debate", "remote work wins", side="for")
    assert parse_command("debate formality matters").side is None  # "for" only as a word
    assert parse_command("add <https://blog.example/a|blog.example/a> https://b.example/x."
                         ).urls == ("https://blog.example/a", "https://b.example/x")
    assert parse_command("<@UAVATAR>").verb == "help"
    assert parse_command("   ").verb == "help"
    assert parse_command("search").verb == "help"
    assert parse_command("topics").verb == "topics"


def test_slack_markup_is_undone_on_input_and_escaped_on_output() -> None:
    assert plain_text("<@U1> see <https://x.example/a?b=1&amp;c=2|x.example> &lt;3 <#C1|general>"
                      ) == "see https://x.example/a?b=1&c=2 <3 general"
    assert plain_text("what would <@U123|maria> or <@U456> say?") == \
        "what would @maria or @U456 say?"
    assert urls_in("<https://x.example/a&amp;b>") == ["https://x.example/a&b"]
    assert escape("<@U1> & <!channel>") == "&lt;@U1&gt; &amp; &lt;!channel&gt;"
    assert link("javascript:alert(1)", "x") == "x"
    assert link("https://x.example/a|b", "T|<i>") == "<https://x.example/a%7Cb|T¦&lt;i&gt;>"


def test_long_answers_are_split_into_sections_slack_accepts() -> None:
    text = "\n\n".join(["word " * 500] * 3) + "\n\n" + "x" * 7000
    sections = text_sections(text)
    assert all(len(s["text"]["text"]) <= SECTION_CHARS for s in sections)
    assert "".join(s["text"]["text"] for s in sections).replace("\n", "").replace(" ", "") \
        == text.replace("\n", "").replace(" ", "")


def test_an_answer_escapes_model_text_and_links_each_source_with_its_date() -> None:
    reply = Reply(text="I said <!channel> & more [1].", model="extractive",
                  citations=[citation(1), citation(2, "Second")])
    blocks = answer_blocks(reply, "Is it fair?")
    dump = json.dumps(blocks)
    assert "<!channel>" not in dump and "&lt;!channel&gt; &amp; more" in dump
    assert citation_line(citation(1)) == ("[1] <https://blog.example/1|Congestion "
                                          "&lt;b&gt;Charging&lt;/b&gt; ¦ Fair?> · 2018")
    value = json.loads(blocks[-1]["elements"][0]["value"])
    assert value["q"] == "Is it fair?" and value["m"] == "extractive"
    assert [c["post_id"] for c in value["c"]] == ["https://blog.example/1",
                                                  "https://blog.example/2"]


def test_huge_answers_and_many_sources_fit_slacks_block_limits_and_say_so() -> None:
    reply = Reply(text="\n\n".join(["word " * 590] * 60), model="extractive",
                  citations=[citation(n, f"Post {n}") for n in range(1, 13)])
    blocks = answer_blocks(reply, "Why?")
    assert len(blocks) <= 50
    assert "too long for Slack" in blocks[-3]["text"]["text"]
    sources = blocks[-2]["elements"]
    assert len(sources) == 10 and sources[-1]["text"] == "…and 3 more sources"


def test_the_feedback_value_stays_under_slacks_limit() -> None:
    reply = Reply(text="x", model="openai:gpt-4o",
                  citations=[citation(n, "T" * 300) for n in range(1, 6)])
    value = feedback_value("why " * 3000, reply)
    assert len(value) <= BUTTON_VALUE_CHARS
    assert json.loads(value)["m"] == "openai:gpt-4o"


def test_a_thread_becomes_turns_without_placeholders_other_bots_or_the_current_message(
        ) -> None:
    messages = [
        {"ts": "1.0", "user": "U1", "text": "<@UAVATAR> debate against: cars should pay"},
        {"ts": "1.1", "user": "UAVATAR", "bot_id": "BAVATAR", "text": "I disagree &amp; here"},
        {"ts": "1.2", "user": "UAVATAR", "bot_id": "BAVATAR", "text": THINKING},
        {"ts": "1.3", "bot_id": "B0DEPLOY", "subtype": "bot_message", "text": "deployed"},
        {"ts": "1.4", "user": "U2", "text": "<@UAVATAR> but why?"},
        {"ts": "1.5", "user": "U1", "text": "later message"},
    ]
    thread = read_thread(messages, ME, current_ts="1.4")
    assert thread.turns == [Turn("user", "cars should pay"),
                            Turn("assistant", "I disagree & here")]
    assert thread.opening == Command("debate", "cars should pay", side="against")


def test_an_event_id_is_first_seen_once_until_it_expires() -> None:
    now = [0.0]
    seen = SeenEvents(ttl=60, capacity=3, clock=lambda: now[0])
    assert seen.first_time("Ev1") and not seen.first_time("Ev1")
    now[0] = 61
    assert seen.first_time("Ev1")  # expired: Slack stopped retrying long ago
    for n in range(2, 6):
        assert seen.first_time(f"Ev{n}")
    assert seen.first_time("Ev2")  # pushed out by capacity, not kept forever
