"""Turn the persona, the retrieved posts and the conversation into chat messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from persona.grounding import Source
from persona.persona import Persona
from persona.prompts import prompts, render

MAX_HISTORY_TURNS = 10
MAX_TURN_CHARS = 4000


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation, as the caller (page, Slack thread) kept it."""

    role: str  # "user" or "assistant"
    content: str


def system_prompt(persona: Persona) -> str:
    """The persona's system prompt (rules and voice), without the archive."""
    examples = "".join(
        f"\nExample exchange:\nReader: {e.user}\n{persona.name}: {e.avatar}\n"
        for e in persona.examples
    )
    return render(
        prompts()["system"], name=persona.name, bio=persona.bio, voice=persona.voice.strip(),
        avoid=", ".join(persona.avoid_topics) or "none", language=persona.language,
        sign_off=persona.sign_off, examples=examples,
    )


# Anything in a post that could pass for the fence's own tags (any case or spacing, or as
# HTML entities a model might decode) loses its "<", so only our tags open and close it.
_FENCE_TAG = re.compile(r"(?:<|&lt;|&#0*60;|&#x0*3c;)(\s*/?\s*archive\b)", re.IGNORECASE)


def fence_escape(text: str) -> str:
    """text with every look-alike of the <archive> tags defused (the words themselves kept)."""
    return _FENCE_TAG.sub(lambda m: "\u2039" + m.group(1), text)


def archive_block(sources: Sequence[Source]) -> str:
    """The retrieved posts, numbered, fenced as data (post text escaped inside the fence)."""
    p = prompts()
    items = [
        render(p["context_item"], n=s.n, title=fence_escape(s.hit.title),
               published=s.hit.published.isoformat() if s.hit.published else "undated",
               url=fence_escape(s.hit.url or s.hit.source), passages=fence_escape(s.text))
        for s in sources
    ]
    return "\n".join([p["context_header"], *items, p["context_footer"]])


def archive_message(sources: Sequence[Source]) -> HumanMessage:
    """The fenced archive as its own message after the system one: data, never instructions."""
    return HumanMessage(archive_block(sources))


def history_messages(history: Sequence[Turn]) -> list[BaseMessage]:
    """The last turns of the conversation as chat messages (trimmed)."""
    out: list[BaseMessage] = []
    for turn in list(history)[-MAX_HISTORY_TURNS:]:
        text = turn.content[:MAX_TURN_CHARS]
        out.append(AIMessage(content=text) if turn.role == "assistant" else HumanMessage(text))
    return out


def build_messages(mode: str, persona: Persona, sources: Sequence[Source],
                   history: Sequence[Turn], message: str, *, motion: str = "",
                   side: str | None = None) -> list[BaseMessage]:
    """System (persona + task), the fenced archive, the history, then the reader's message."""
    p = prompts()
    if mode == "debate":
        side_line = f"The reader argues {side} the motion." if side else ""
        task = render(p["debate"], motion=motion or message, side_line=side_line)
        user = message
    elif mode == "reflect":
        task = render(p["reflect"], news=message)
        user = "Write the post."
    else:
        task = render(p["ask"], name=persona.name)
        user = message
    system = "\n\n".join([system_prompt(persona), task])
    return [SystemMessage(system), archive_message(sources), *history_messages(history),
            HumanMessage(user)]


def rewrite_messages(history: Sequence[Turn], message: str) -> list[BaseMessage]:
    """Ask a model to turn a follow-up into a standalone search query."""
    return [SystemMessage(prompts()["rewrite"].strip()), *history_messages(history),
            HumanMessage(message)]
