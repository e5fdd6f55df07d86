"""Turn the persona, the retrieved posts and the conversation into chat messages."""

from __future__ import annotations

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


def archive_block(sources: Sequence[Source]) -> str:
    """The retrieved posts, numbered, fenced as data."""
    p = prompts()
    items = [
        render(p["context_item"], n=s.n, title=s.hit.title,
               published=s.hit.published.isoformat() if s.hit.published else "undated",
               url=s.hit.url or s.hit.source, passages=s.text)
        for s in sources
    ]
    return "\n".join([p["context_header"], *items, p["context_footer"]])


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
    """System (persona + task + archive), the history, then the reader's message."""
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
    system = "\n\n".join([system_prompt(persona), task, archive_block(sources)])
    return [SystemMessage(system), *history_messages(history), HumanMessage(user)]


def rewrite_messages(history: Sequence[Turn], message: str) -> list[BaseMessage]:
    """Ask a model to turn a follow-up into a standalone search query."""
    return [SystemMessage(prompts()["rewrite"].strip()), *history_messages(history),
            HumanMessage(message)]
