"""The `extractive` reply: a plan written out in the author's own quoted sentences.

No language model: every sentence in quotes is his (or, named as such, what he quoted), each
cited as [n] by its source number (the avatar renumbers citations in order of use). The
framing words around the quotes are data in prompts.toml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from persona.answer_plan import AnswerPlan
from persona.debate_plan import DebatePlan
from persona.grounding import Source, contains_verbatim
from persona.persona import Persona
from persona.prompts import prompts, render
from persona.speech import Said

_POINT_WORDS = 30
_ENDED = re.compile(r"[.!?:;…][\"')\]”’]*\s*$")


def write_answer(plan: AnswerPlan, sources: Sequence[Source], persona: Persona,
                 closest_only: bool = False) -> str:
    """Ask: the sentence that answers, framed by where he wrote it, then the support (after
    a line saying so when the posts only come closest to the question)."""
    texts = prompts()["extractive"]
    if not plan.lead:
        return _signed([texts["ask_nothing"]], persona)
    lead = _lead(plan.lead, sources)
    parts = [f"{texts['ask_closest']} {lead}" if closest_only else lead]
    if plan.support:
        parts.append(render(texts["ask_support"], quotes=_quotes(plan.support, sources)))
    return _signed(parts, persona)


def write_reflection(news: str, plan: AnswerPlan, sources: Sequence[Source],
                     persona: Persona) -> str:
    """Reflect: the news in a line, what he held on it and when, what he proposed then."""
    texts = prompts()["extractive"]
    parts = [render(texts["reflect_news"], news=_first_line(news))]
    if plan.lead:
        first = plan.lead[0]
        parts.append(render(texts["reflect_held"], when=_month_year(first, sources),
                            title=_title(first, sources), quote=_quote_run(plan.lead, sources)))
    if plan.proposal:
        parts.append(render(texts["reflect_proposed"], quote=_quote_run(plan.proposal, sources)))
    if plan.support:
        parts.append(render(texts["reflect_also"], quotes=_quotes(plan.support, sources)))
    return _signed(parts, persona)


def write_argument(plan: DebatePlan, sources: Sequence[Source], persona: Persona) -> str:
    """Debate: sides in words, his position and reasons, his answer, a concession, a question.

    The first round states the position and the reasons; later rounds lead with the answer to
    the reader's new point and add only reasons not quoted before.
    """
    texts = prompts()["extractive"]
    state = plan.state
    later = state.round > 1
    sides = "debate_sides" if state.reader_side else "debate_motion"
    parts = [render(texts[sides], side=state.reader_side, motion=_short(state.motion))]
    if plan.stance == "unclear":
        parts.append(texts["debate_unclear"])
    elif plan.stance == state.reader_side:
        parts.append(render(texts["debate_agree"], stance=plan.stance))
    else:
        parts.append(render(texts["debate_still" if later else "debate_disagree"],
                            stance=plan.stance))
    position = _position(plan, sources)
    if state.latest:
        parts.append(_answer(plan, sources))
    if position and not later:
        parts.append(position)
    if plan.reasons:
        key = "debate_more" if plan.stance == "unclear" or later else "debate_reasons"
        parts.append(render(texts[key], quotes=_quotes(plan.reasons, sources)))
    if (not state.latest and plan.objection is not None
            and plan.stance not in ("unclear", state.reader_side)):
        parts.append(render(texts["debate_objection" if state.reader_side
                                  else "debate_objection_open"],
                            objection=_quote_run([plan.objection], sources),
                            reply=_reply(plan.objection, sources)))
    if plan.concession:
        parts.append(render(texts["debate_grant"], quote=_quote_run(plan.concession, sources)))
    parts.append(texts["debate_invite"])
    return _signed(parts, persona)


def _position(plan: DebatePlan, sources: Sequence[Source]) -> str:
    """Where he stands, in his words ('what bears on it' when his stance is unclear)."""
    if not plan.position:
        return ""
    texts = prompts()["extractive"]
    first = plan.position[0]
    key = "debate_bears" if plan.stance == "unclear" else "debate_position"
    return render(texts[key], title=_title(first, sources), year=_year(first, sources),
                  quote=_quote_run(plan.position, sources))


def _answer(plan: DebatePlan, sources: Sequence[Source]) -> str:
    """His answer to the reader's latest point: an objection he answered, a sentence, or a
    concession that he has not written about it."""
    texts = prompts()["extractive"]
    point = _short(plan.state.latest)
    if plan.objection is not None and not plan.answer:
        return render(texts["debate_met"], point=point,
                      objection=_quote_run([plan.objection], sources),
                      reply=_reply(plan.objection, sources))
    if plan.answer:
        return render(texts["debate_answer"], point=point,
                      quote=_quote_run(plan.answer, sources))
    return render(texts["debate_concede"], point=point)


# -- pieces ------------------------------------------------------------------------------


def _lead(lead: list[Said], sources: Sequence[Source]) -> str:
    """The answer's first line: his words ("I wrote"), or named quoted material."""
    texts = prompts()["extractive"]
    first = lead[0]
    values = {"title": _title(first, sources), "year": _year(first, sources),
              "quote": _quote_run(lead, sources)}
    if first.is_authors:
        return render(texts["ask_lead"], **values)
    return render(texts["ask_lead_quoted"], label=first.label or texts["someone_else"],
                  **values)


def _quotes(said: Sequence[Said], sources: Sequence[Source]) -> str:
    """Several sentences, each introduced by its post; quoted material named as such."""
    texts = prompts()["extractive"]
    lines = []
    for s in said:
        template = texts["quote_line"] if s.is_authors else texts["quoted_line"]
        lines.append(render(template, title=_title(s, sources), year=_year(s, sources),
                            label=s.label or texts["someone_else"], quote=_cite(s.text, s.n)))
    return "\n".join(f"- {line}" for line in lines)


def _quote_run(said: Sequence[Said], sources: Sequence[Source]) -> str:
    """Consecutive sentences of one post as one quotation (when joined they are still
    verbatim: some posts run sentences together without a space); else one quote each."""
    joined = " ".join(s.text for s in said)
    # A paragraph without a full stop (many bloggers write a line per paragraph) would run
    # into the next one inside a single quotation: such lines are quoted one by one.
    ended = all(_ENDED.search(s.text) for s in said[:-1])
    if ended and len({s.n for s in said}) == 1 \
            and contains_verbatim(sources[said[0].n - 1].text, joined):
        return _cite(joined, said[0].n)
    return " ".join(_cite(s.text, s.n) for s in said)


def _reply(objection: Said, sources: Sequence[Source]) -> str:
    """His answer to an objection, quoted (its first sentence alone if the two are not
    verbatim together)."""
    text = objection.reply
    if not contains_verbatim(sources[objection.n - 1].text, text):
        text = text.split(". ")[0].rstrip(".") + "."
    return _cite(text, objection.n)


def _cite(text: str, n: int) -> str:
    return f'"{text}" [{n}]'


def _title(s: Said, sources: Sequence[Source]) -> str:
    return sources[s.n - 1].hit.title


def _year(s: Said, sources: Sequence[Source]) -> str:
    published = sources[s.n - 1].hit.published
    return str(published.year) if published else "undated"


def _month_year(s: Said, sources: Sequence[Source]) -> str:
    published = sources[s.n - 1].hit.published
    return published.strftime("%B %Y") if published else "an undated post"


def _short(text: str) -> str:
    """The reader's point, shortened, without quote marks (it is theirs, not a quotation)."""
    words = re.sub(r'["“”«»]', "", " ".join(text.split())).split()
    point = " ".join(words[:_POINT_WORDS]) + ("…" if len(words) > _POINT_WORDS else "")
    return point.rstrip(".!?")


def _first_line(news: str) -> str:
    """The news item in a line: its title, or its first sentence."""
    head = news.strip().split("\n", 1)[0].strip()
    return _short(head) or "(no text)"


def _signed(parts: list[str], persona: Persona) -> str:
    if persona.sign_off:
        parts = [*parts, persona.sign_off]
    return "\n\n".join(p.strip() for p in parts if p.strip())
