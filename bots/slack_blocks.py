"""Block Kit messages: answers with source links and feedback buttons, search, topics."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bots.slack_quotes import block_quotes
from bots.slack_text import clip, escape, link, one_line
from knowledge.search import SearchHit
from knowledge.topics import TopicMap
from persona.replies import Citation, Reply

Block = dict[str, Any]
HELPFUL, UNHELPFUL = "avatar_feedback_helpful", "avatar_feedback_unhelpful"
SECTION_CHARS = 3000      # Slack's limit for a section's text
BUTTON_VALUE_CHARS = 2000  # Slack's limit for a button's value
MAX_BLOCKS = 50
SNIPPET_CHARS = 160        # one line of a search result


def section(text: str) -> Block:
    """A mrkdwn section (text already escaped)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(*texts: str) -> Block:
    """A context block of mrkdwn lines (at most 10, Slack's limit)."""
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": t} for t in texts[:10]]}


def text_sections(text: str) -> list[Block]:
    """Escaped text as sections, split at paragraph or word boundaries under Slack's limit."""
    pieces: list[str] = []
    for para in block_quotes(escape(text)).split("\n\n"):
        while len(para) > SECTION_CHARS:
            cut = para[:SECTION_CHARS].rsplit(" ", 1)[0] or para[:SECTION_CHARS]
            pieces.append(cut)
            para = para[len(cut):].lstrip()
        pieces.append(para)
    blocks, current = [], ""
    for piece in pieces:
        joined = f"{current}\n\n{piece}" if current else piece
        if len(joined) > SECTION_CHARS:
            blocks.append(section(current))
            joined = piece
        current = joined
    if current.strip():
        blocks.append(section(current))
    return blocks


def citation_line(citation: Citation) -> str:
    """`[n] <url|Title> · 2019`: compact, the full date is on the post."""
    when = f" · {citation.published:%Y}" if citation.published else ""
    return f"[{citation.n}] {link(citation.url, citation.title or citation.post_id)}{when}"


def feedback_value(question: str, reply: Reply) -> str:
    """What a feedback click must record, packed into a button value (≤ 2000 chars)."""
    cited = [{"n": c.n, "post_id": c.post_id, "title": clip(c.title, 80), "url": c.url}
             for c in reply.citations]
    for limit in (1000, 400, 100):
        value = json.dumps({"q": clip(question, limit), "m": reply.model, "c": cited},
                           ensure_ascii=False)
        if len(value) <= BUTTON_VALUE_CHARS:
            return value
        cited = [{"n": c["n"], "post_id": c["post_id"]} for c in cited]
    return json.dumps({"q": clip(question, 100), "m": reply.model, "c": []})


def feedback_buttons(value: str) -> Block:
    """Helpful / not helpful, both carrying the question, model and citations."""
    def button(action: str, label: str) -> Block:
        return {"type": "button", "action_id": action, "value": value,
                "text": {"type": "plain_text", "text": label, "emoji": True}}

    return {"type": "actions", "block_id": "avatar_feedback",
            "elements": [button(HELPFUL, ":thumbsup: Helpful"),
                         button(UNHELPFUL, ":thumbsdown: Not helpful")]}


def answer_blocks(reply: Reply, question: str, asked_by: str | None = None) -> list[Block]:
    """The answer, its sources as links, and the feedback buttons."""
    blocks: list[Block] = []
    if asked_by:  # a slash command's question is not shown in the channel otherwise
        blocks.append(context(f"<@{asked_by}> asked: {escape(clip(question, 280))}"))
    body = text_sections(reply.text) or [section("_(no answer)_")]
    room = MAX_BLOCKS - 4
    if len(body) > room:  # only a book-length reply gets here; say so rather than cut silently
        body = [*body[: room - 1], section("_(The rest of this answer is too long for Slack.)_")]
    blocks.extend(body)
    if reply.citations:
        lines = [citation_line(c) for c in reply.citations]
        if len(lines) > 10:  # a context block holds ten elements
            lines = [*lines[:9], f"…and {len(lines) - 9} more sources"]
        blocks.append(context(*lines))
    blocks.append(feedback_buttons(feedback_value(question, reply)))
    return blocks


def search_blocks(query: str, hits: Sequence[SearchHit]) -> tuple[str, list[Block]]:
    """Search results: each post as a link with its date and best passage."""
    if not hits:
        text = f"No post matches “{clip(query, 200)}”."
        return text, [section(escape(text))]
    blocks = [section(f"*Posts for “{escape(clip(query, 200))}”*")]
    lines = []
    for hit in hits[:10]:
        when = f"{hit.published:%-d %b %Y}" if hit.published else "undated"
        snippet = clip(one_line(hit.snippet), SNIPPET_CHARS)
        blocks.append(section(f"*{link(hit.url, hit.title or hit.post_id)}* · {when}\n"
                              f"{escape(snippet)}"))
        lines.append(f"{hit.title} ({when}): {snippet}")
    return "\n".join(lines), blocks


def topics_blocks(author: str, topic_map: TopicMap) -> tuple[str, list[Block]]:
    """The topic map: clusters with post counts and a few example posts."""
    if not topic_map.topics:
        text = "The archive is empty: there are no topics yet."
        return text, [section(text)]
    lines = []
    for topic in topic_map.topics[:15]:
        examples = ", ".join(link(e.url, e.title) for e in topic.examples[:2])
        lines.append(f"• *{escape(topic.label)}* — {topic.posts} posts"
                     + (f" ({examples})" if examples else ""))
    header = f"*What {escape(author)} writes about*"
    text = f"What {author} writes about: " + ", ".join(t.label for t in topic_map.topics[:15])
    return text, [section(header), *text_blocks_of(lines)]


def text_blocks_of(lines: list[str]) -> list[Block]:
    """Lines of mrkdwn (already escaped) grouped into sections under Slack's limit."""
    blocks, current = [], ""
    for line in lines:
        if current and len(current) + len(line) + 1 > SECTION_CHARS:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(section(current))
    return blocks
