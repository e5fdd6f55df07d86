"""Plan one debate turn: the author's stance and, from his own sentences, the argument.

The plan does not depend on the model: the extractive backend writes it out in his own
quoted sentences; a language model receives it and writes the argument in his voice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.embedding import Embedder
from persona.debate import DebateState
from persona.grounding import Source
from persona.relevance import Scored
from persona.speech import OBJECTION, Said, said_in
from persona.stance_judge import StanceJudge, StanceVerdict

EVIDENCE = 24           # the most relevant of his sentences the judge reads
ON_POINT = 0.3          # cosine with the reader's point for a sentence to answer it
REASON_SHARE = 0.7      # of the position's relevance to the motion, for a reason to count
MOTION_WEIGHT = 0.1     # an answer should also stay on the motion's subject
SAME_OBJECTION = 0.5    # cosine at which the reader's point is an objection he answered


@dataclass(frozen=True)
class DebatePlan:
    """What the author argues this turn, every piece one of his sentences."""

    state: DebateState
    stance: str                                               # for | against | unclear
    position: list[Said] = field(default_factory=list)        # where he stands
    reasons: list[Said] = field(default_factory=list)         # why
    answer: list[Said] = field(default_factory=list)          # to the reader's latest point
    concession: list[Said] = field(default_factory=list)      # what he grants the reader
    objection: Said | None = None                             # the other side, as he put it



def plan_debate(state: DebateState, sources: Sequence[Source], embedder: Embedder,
                judge: StanceJudge, motion_sources: int | None = None,
                said_before: Sequence[str] = ()) -> DebatePlan:
    """Judge his stance on the motion from his sentences, then pick the argument's parts.

    The stance is judged only from the posts found for the motion (the first
    `motion_sources`), so a new point in a later round cannot flip it; sentences the avatar
    already quoted in earlier rounds (`said_before`) are not repeated as reasons.
    """
    pool = [s for s in said_in(sources) if s.is_authors]
    if not pool:
        return DebatePlan(state, "unclear")
    limit = len(sources) if motion_sources is None else motion_sources
    on_motion = Scored(state.motion, pool, embedder)
    # A reported objection is not his view; posts found only for the point do not vote.
    # A question of his own states no position.
    own = [s.speaker != OBJECTION and s.n <= limit and not s.is_question
           for s in pool]
    top = on_motion.best(allowed=own, k=EVIDENCE)
    evidence = [(pool[i].text, _weight(on_motion.relevance[i])) for i in top]
    verdict = judge.judge(state.motion, evidence + _titles(sources, top, pool))
    support = [top[i] for i in verdict.support if i < len(top)]
    oppose = [top[i] for i in verdict.oppose if i < len(top)]
    # A sentence of his that states the motion itself (a pinned post's thesis) is his
    # position on it, whatever the judge made of its wording.
    states = [i for i in top if _states(pool[i].text, state.motion)]
    if states and verdict.stance != "against":
        verdict = StanceVerdict("for", verdict.score, verdict.support, verdict.oppose)
        support = states + [i for i in support if i not in states]
        oppose = [i for i in oppose if i not in states]
    if verdict.stance == "for":
        mine, theirs = support, oppose
    elif verdict.stance == "against":
        mine, theirs = oppose, support
    else:
        mine, theirs = top[:2], []
    earlier = " ".join(said_before)
    fresh = [i for i in mine if pool[i].text not in earlier]
    position = _first(mine, on_motion) or top[:1]
    used = list(position)
    # A reason must be about the motion nearly as much as the position is.
    bar = REASON_SHARE * float(on_motion.relevance[position[0]]) if position else 0.0
    fresh = [i for i in fresh if on_motion.relevance[i] >= bar]
    reasons = _more(fresh, on_motion, used, 1 if earlier else 2)
    used += reasons
    answer: list[int] = []
    answered: Said | None = None
    if state.latest:
        on_point = on_motion.for_query(state.latest, embedder)
        answered = _objection_met(on_point)
        if answered is None:
            answer = _answer_point(on_point, on_motion, mine, used)
        used += answer
    # Concede only what grants the reader's side (when he disagrees with the reader).
    # A reader who has taken no side has no point to grant yet.
    grants = [i for i in theirs if pool[i].text not in earlier] \
        if state.reader_side and verdict.stance not in ("unclear", state.reader_side) else []
    concession = _more(grants, on_motion, used, 1)
    objection = answered or (_objection(pool, on_motion)
                             if verdict.stance != "unclear" and not earlier else None)
    return DebatePlan(state, verdict.stance,
                      position=[pool[i] for i in position], reasons=[pool[i] for i in reasons],
                      answer=[pool[i] for i in answer],
                      concession=[pool[i] for i in concession], objection=objection)


def _states(sentence: str, motion: str) -> bool:
    """Whether a sentence says the motion itself, word for word (case aside)."""
    core = " ".join(motion.lower().split()).rstrip(".")
    return len(core.split()) >= 4 and core in " ".join(sentence.lower().split())


def _weight(relevance: float) -> float:
    return float(min(1.0, max(0.0, relevance)))


def _titles(sources: Sequence[Source], top: list[int], pool: list[Said]
            ) -> list[tuple[str, float]]:
    """Post titles state positions too ("Against Mandatory Return-to-Office")."""
    used = {pool[i].n for i in top}
    return [(s.hit.title, 0.5) for s in sources if s.n in used and s.hit.title]


def _first(indices: list[int], scored: Scored) -> list[int]:
    return scored.best(allowed=_mask(indices, len(scored.pool)), k=1) if indices else []


def _more(indices: list[int], scored: Scored, used: list[int], k: int) -> list[int]:
    if not indices:
        return []
    return scored.best(allowed=_mask(indices, len(scored.pool)), avoid=used, k=k)


def _mask(indices: list[int], size: int) -> list[bool]:
    allowed = [False] * size
    for i in indices:
        allowed[i] = True
    return allowed


def _answer_point(on_point: Scored, on_motion: Scored, mine: list[int],
                  used: list[int]) -> list[int]:
    """His sentence that best meets the reader's point, on the motion's subject, from his side
    of the argument where possible."""
    pool = on_point.pool
    bonus = np.zeros(len(pool), dtype=np.float32)
    bonus[mine] = 0.1
    relevance = on_point.relevance + MOTION_WEIGHT * on_motion.relevance + bonus
    cosine = on_point.vectors @ on_point.query_vector
    close = [bool(cosine[i] >= ON_POINT) and pool[i].speaker != OBJECTION
             for i in range(len(pool))]
    return on_point.best(allowed=close, avoid=used, k=1, relevance=relevance)


def _objection_met(on_point: Scored) -> Said | None:
    """The objection he reported that the reader's point makes again, if any: his answer to
    it is the most direct answer he has written."""
    cosine = on_point.vectors @ on_point.query_vector
    reported = [i for i, s in enumerate(on_point.pool) if s.speaker == OBJECTION and s.reply]
    if not reported:
        return None
    best = max(reported, key=lambda i: float(cosine[i]))
    return on_point.pool[best] if cosine[best] >= SAME_OBJECTION else None


def _objection(pool: list[Said], scored: Scored) -> Said | None:
    """The strongest objection he reported on this motion, with his answer to it."""
    reported = [i for i, s in enumerate(pool) if s.speaker == OBJECTION and s.reply]
    if not reported:
        return None
    best = max(reported, key=lambda i: float(scored.relevance[i]))
    return pool[best] if scored.relevance[best] > 0.25 else None
