"""Plan an answer: the sentence that holds it (with what it needs to be read), then support.

Used by `ask` and by `reflect` (which answers "what did I hold on this, and what did I
propose?"). Like the debate plan it is model-independent: the extractive backend writes it
out, a language model is shown it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.embedding import Embedder
from persona.grounding import Source
from persona.question_intent import asks_his_view, asks_others
from persona.relevance import Scored
from persona.speech import AUTHOR, OBJECTION, Said, said_in

SUPPORT = 2
# Asked what he thinks or wants, his own sentences lead before the news he comments on;
# asked what others said, theirs (as he quoted them) lead.
SPEAKER_BONUS = 0.3
# Asked what someone else said, his own words that the question echoes ("publish the
# real-time positions of its trams", from his e-mail) must not outrank the reply asked for:
# 0.5 led with it where 0.3 did not; the shapes dev questions were the same at 0.3-0.7.
OTHERS_BONUS = 0.5
_GAP = 3  # sentences apart (greetings, short lines) for two to read as one run
# The lead reads on by one sentence while it stays short: an answer often comes right after
# the sentence that names the question's subject ("Someone riding a Segway looks like a dork.
# … The reason you look like a dork …"). Measured on the dev questions: answer recall 38.4 →
# 41.3 % on the essays and 73.1 → 76.6 % on the shapes set, for 7 more words a reply; reading
# on by two gained little more (42.7 %, 76.6 %) for twice the words.
READ_ON = 1
LEAD_WORDS = 80
# Words beyond which a line that stops at a colon or comma says more than who speaks next
# ("Following news report appeared in today's Courier ( 3 May 2016 ) :" has 11).
INTRO_WORDS = 14
_WORD = re.compile(r"\w+")
# A sentence that leans on the one before it ("This is why…") is read with it.
_LEANS_BACK = re.compile(r"^(this|that|these|those|it|they|such|so|but|and|thus|hence|"
                         r"which|then|here|there)\b", re.I)
_PROPOSAL = re.compile(r"\b(should|must|propose|proposed|suggest|suggested|recommend|"
                       r"need to|ought to|my proposal|here is my|i would|let us|let's|"
                       r"we could|a rule|a budget|a trial)\b", re.I)


@dataclass(frozen=True)
class AnswerPlan:
    """The lead (the sentence or two holding the answer, read on by one) and support."""

    lead: list[Said] = field(default_factory=list)
    support: list[Said] = field(default_factory=list)
    proposal: list[Said] = field(default_factory=list)   # reflect: what he proposed then



def plan_answer(query: str, sources: Sequence[Source], embedder: Embedder,
                proposals: bool = False, author: str = "") -> AnswerPlan:
    """The best answer sentence, its context, and the best support."""
    pool = said_in(sources)
    if not pool:
        return AnswerPlan()
    scored = Scored(query, pool, embedder)
    # A view he reports only to answer it does not lead an answer (his answer may) unless the
    # question asks what others said, and a question of his own is rarely the answer to the
    # reader's. (Letting his question lead with the sentence after it, as its answer, was
    # measured on the dev questions: it echoes the reader's words, but the next sentence
    # answered less often than the lead it displaced.)
    others = asks_others(query, author)
    leadable = [(others or s.speaker != OBJECTION) and not s.is_question for s in pool]
    if proposals:  # reflect: what he held on it is his own words, not the news he quoted
        leadable = [ok and s.his_statement for ok, s in zip(leadable, pool, strict=True)]
    his = np.array([s.speaker == AUTHOR for s in pool], dtype=np.float32)
    if asks_his_view(query, author):
        relevance = scored.relevance + np.float32(SPEAKER_BONUS) * his
    elif others:
        relevance = scored.relevance + np.float32(OTHERS_BONUS) * (1 - his)
    else:
        relevance = scored.relevance
    best = scored.best(allowed=leadable, k=1, relevance=relevance)
    if not best:
        return AnswerPlan()
    lead = _read_on(_with_context(best[0], pool), pool)
    if proposals:  # his words only, context included
        lead = [s for s in lead if s.his_statement] or [pool[best[0]]]
    used = [i for i, s in enumerate(pool) if s in lead]
    proposal: list[int] = []
    if proposals:  # chosen before the support, which would otherwise take it as a mere quote
        # His own statement: an objection he reports ("…is that the town should close the
        # berth") says what to do too, but is not what he proposed.
        says_what_to_do = [s.his_statement and bool(_PROPOSAL.search(s.text)) for s in pool]
        proposal = scored.best(allowed=says_what_to_do, avoid=used, k=1)
        used += proposal
    # Support: the author's own words, from the lead's post or another (measured on the dev
    # questions: keeping support to other posts lost answer recall), never a near-duplicate.
    # An intro line ("Following news report appeared in …:") says nothing by itself.
    mine = [s.his_statement for s in pool]
    support = scored.best(allowed=mine, avoid=used, k=SUPPORT)
    support.sort(key=lambda i: (pool[i].n, pool[i].order))
    return AnswerPlan(lead=lead, support=[pool[i] for i in support],
                      proposal=[pool[i] for i in proposal])


def _neighbour(pool: list[Said], i: int, step: int, reach: int = 1) -> Said | None:
    """The sentence before (step -1) or after (+1) pool[i] in its post, same speaker: right
    next to it, or up to `reach` places away over short lines the pool leaves out."""
    j = i + step
    if not 0 <= j < len(pool):
        return None
    chosen, other = pool[i], pool[j]
    if other.n == chosen.n and 0 < (other.order - chosen.order) * step <= reach \
            and other.speaker == chosen.speaker:
        return other
    return None


def _read_on(lead: list[Said], pool: list[Said]) -> list[Said]:
    """The lead with up to READ_ON following sentences of its passage and speaker, within
    LEAD_WORDS words; never an intro line, which says nothing without what it introduces."""
    out = list(lead)
    words = sum(len(s.text.split()) for s in out)
    for _ in range(READ_ON):
        # Over a short line the pool leaves out ("Extract :" between a headline and its
        # report), still in the same passage and speaker.
        after = _neighbour(pool, pool.index(out[-1]), 1, reach=_GAP)
        if after is None or after.introduces or words + len(after.text.split()) > LEAD_WORDS:
            break
        out.append(after)
        words += len(after.text.split())
    return out


def _says_more(said: Said) -> bool:
    """An intro line long enough to state something besides who speaks next."""
    return len(_WORD.findall(said.text)) > INTRO_WORDS


def _introduced(pool: list[Said], i: int, k: int = 2) -> list[Said]:
    """Up to k sentences after an intro line in its passage, one speaker's (the lead is named
    by its first sentence's speaker); short lines between, such as a greeting, are not in the
    pool and may be skipped."""
    out: list[Said] = []
    last = pool[i]
    for other in pool[i + 1:]:
        if len(out) == k or other.n != last.n or not 0 < other.order - last.order <= _GAP:
            break
        if other.introduces or (out and other.speaker != out[0].speaker):
            break
        out.append(other)
        last = other
    return out


def _with_context(i: int, pool: list[Said]) -> list[Said]:
    """The chosen sentence with its neighbour: the one before when it cannot be read alone,
    else the one after (a sentence that restates the question is usually followed by the
    answer); an intro line gives way to what it introduces."""
    chosen = pool[i]
    if chosen.introduces:
        # An intro line ("Councillor Maas replied a week later:") holds no answer: what it
        # introduces does, and is named by its own speaker (a reply, a news report). A long
        # one may hold the fact itself ("… ordered her to pay a monthly alimony of Rs. 20,000,
        # saying,"): it stays, with the first of what it introduces when one speaker says both.
        introduced = _introduced(pool, i)
        if introduced and _says_more(chosen):
            # With the first of what it introduces when one speaker says both; alone when
            # another does (a lead is named by its first sentence's speaker).
            same = introduced[0].speaker == chosen.speaker
            return [chosen, introduced[0]] if same else [chosen]
        if introduced:
            return introduced
    before, after = _neighbour(pool, i, -1), _neighbour(pool, i, 1)
    if before is not None and (_LEANS_BACK.match(chosen.text) or before.introduces):
        return [before, chosen]
    if after is not None and after.introduces:
        after = None  # "Some people are saying :" adds nothing without what it introduces
    if after is not None:
        # A question of his after it ("How could they feel safe saying such things?") is
        # answered by the sentence after that, which the lead then needs.
        answer = _neighbour(pool, i + 1, 1) if after.is_question else None
        if answer is not None and not answer.is_question:
            return [chosen, after, answer]
        return [chosen, after]
    return [chosen]

