"""Where the author stands on a motion, judged from his sentences: the judge's contract.

A judge reads (sentence, relevance) evidence and returns the stance with the sentences that
support and undermine the motion, so the debate can give reasons for his side and concede
what his own writing grants the other. `CueJudge` (explicit cue phrases, no model) is the
fallback when no trained judge is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from persona.stance import motion_is_negated, sentence_polarity, stance_on

Evidence = Sequence[tuple[str, float]]


@dataclass(frozen=True)
class StanceVerdict:
    """'for', 'against' or 'unclear', with the evidence on each side (strongest first)."""

    stance: str
    score: float = 0.0
    support: list[int] = field(default_factory=list)  # indices of evidence for the motion
    oppose: list[int] = field(default_factory=list)   # indices of evidence against it


class StanceJudge(Protocol):
    """Anything that can judge a motion from weighted evidence."""

    def judge(self, claim: str, evidence: Evidence) -> StanceVerdict:
        """The author's stance on `claim` from his (sentence, relevance) evidence."""
        ...


class CueJudge:
    """Explicit first-person stances and evaluative cue phrases (no model needed)."""

    def judge(self, claim: str, evidence: Evidence) -> StanceVerdict:
        """The cue-phrase stance; each sentence's side from its own cues."""
        stance = stance_on(claim, list(evidence))
        flip = -1 if motion_is_negated(claim) else 1
        signs = [flip * sentence_polarity(text) for text, _w in evidence]
        order = sorted(range(len(evidence)), key=lambda i: -evidence[i][1])
        return StanceVerdict(stance, 0.0,
                             support=[i for i in order if signs[i] > 0],
                             oppose=[i for i in order if signs[i] < 0])



class TrainedJudge:
    """The trained stance model (persona/stance_model.py), loaded on first use."""

    def judge(self, claim: str, evidence: Evidence) -> StanceVerdict:
        """The model's stance on `claim` from his weighted evidence."""
        from persona.stance_model import stance_model  # torch loads only when debated

        verdict = stance_model().judge(claim, list(evidence))
        return StanceVerdict(verdict.stance, verdict.score, list(verdict.support),
                             list(verdict.oppose))


JUDGES: dict[str, type[CueJudge] | type[TrainedJudge]] = {"cue": CueJudge,
                                                           "trained": TrainedJudge}
