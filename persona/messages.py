"""Turn the persona, the retrieved posts and the conversation into chat messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from persona.grounding import Source
from persona.persona import Persona
from persona.prompts import prompts, render
from persona.speech import annotated

if TYPE_CHECKING:
    from persona.debate_plan import DebatePlan

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
                   history: Sequence[Turn], message: str, *,
                   plan: DebatePlan | None = None) -> list[BaseMessage]:
    """System (persona + task + archive), the history, then the reader's message."""
    p = prompts()
    if mode == "debate" and plan is not None:
        task = debate_task(plan)
        user = message
    elif mode == "reflect":
        task = render(p["reflect"], news=message)
        user = "Write the post."
    else:
        task = render(p["ask"], name=persona.name)
        user = message
    marked = [Source(s.n, s.hit, annotated(s)) for s in sources]
    system = "\n\n".join([system_prompt(persona), task, archive_block(marked)])
    return [SystemMessage(system), *history_messages(history), HumanMessage(user)]


def debate_task(plan: DebatePlan) -> str:
    """The debate plan as the model's task: motion, sides, stance and his chosen evidence."""
    p = prompts()
    state = plan.state
    latest = render(p["debate_latest"], latest=state.latest) if state.latest else ""
    lines = []
    for part in ("position", "reasons", "answer", "concession"):
        for said in getattr(plan, part):
            lines.append(render(p["debate_evidence"], part=part, n=said.n, quote=said.text))
    if plan.objection is not None:
        lines.append(render(p["debate_evidence"], part="objection he reported",
                            n=plan.objection.n, quote=plan.objection.text))
        lines.append(render(p["debate_evidence"], part="his answer to it",
                            n=plan.objection.n, quote=plan.objection.reply))
    return render(p["debate"], motion=state.motion, reader_side=state.reader_side,
                  latest_line=latest, stance=plan.stance,
                  evidence="\n".join(lines) or p["debate_no_evidence"])


def rewrite_messages(history: Sequence[Turn], message: str) -> list[BaseMessage]:
    """Ask a model to turn a follow-up into a standalone search query."""
    return [SystemMessage(prompts()["rewrite"].strip()), *history_messages(history),
            HumanMessage(message)]
