"""Turn the persona, the retrieved posts and the conversation into chat messages."""

from __future__ import annotations

import re
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


def archive_message(sources: Sequence[Source], brief: str = "") -> HumanMessage:
    """The fenced archive as its own message after the system one: data, never instructions.

    A debate's brief (the motion and the reader's point, his chosen sentences) follows the
    fence in the same message, escaped like the posts: it holds reader and post text too.
    """
    block = archive_block(sources)
    return HumanMessage(f"{block}\n\n{fence_escape(brief)}" if brief else block)


def history_messages(history: Sequence[Turn]) -> list[BaseMessage]:
    """The last turns of the conversation as chat messages (trimmed)."""
    out: list[BaseMessage] = []
    for turn in list(history)[-MAX_HISTORY_TURNS:]:
        text = turn.content[:MAX_TURN_CHARS]
        out.append(AIMessage(content=text) if turn.role == "assistant" else HumanMessage(text))
    return out


def build_messages(mode: str, persona: Persona, sources: Sequence[Source],
                   history: Sequence[Turn], message: str, *,
                   plan: DebatePlan | None = None,
                   closest_only: bool = False) -> list[BaseMessage]:
    """System (persona + task), the fenced archive (and a debate's brief), the history, then
    the reader's message. Post text and reader text never enter the system message."""
    p = prompts()
    brief = ""
    if mode == "debate" and plan is not None:
        task = render(p["debate"], stance=plan.stance)
        brief = debate_brief(plan)
        user = message
    elif mode == "reflect":
        task = render(p["reflect"], news=message)
        user = "Write the post."
    else:
        task = render(p["ask"], name=persona.name)
        if closest_only:
            task = "\n\n".join([task, p["ask_closest"]])
        user = message
    system = "\n\n".join([system_prompt(persona), task])
    marked = [Source(s.n, s.hit, annotated(s)) for s in sources]
    return [SystemMessage(system), archive_message(marked, brief),
            *history_messages(history), HumanMessage(user)]


def debate_brief(plan: DebatePlan) -> str:
    """The debate plan as data: motion, sides, the reader's point, his chosen evidence."""
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
    reader = (render(p["debate_reader_side"], side=state.reader_side) if state.reader_side
              else p["debate_reader_open"])
    return render(p["debate_brief"], motion=state.motion, reader_line=reader,
                  latest_line=latest, stance=plan.stance,
                  evidence="\n".join(lines) or p["debate_no_evidence"])


def rewrite_messages(history: Sequence[Turn], message: str) -> list[BaseMessage]:
    """Ask a model to turn a follow-up into a standalone search query."""
    return [SystemMessage(prompts()["rewrite"].strip()), *history_messages(history),
            HumanMessage(message)]
