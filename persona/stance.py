"""Where the author's sentences stand on a motion, from explicit cue phrases (no model needed)."""

from __future__ import annotations

import re

_SUPPORT = re.compile(
    r"\b(i (?:strongly )?(?:believe|support|favou?r|am for|argue|am (?:still )?(?:firmly )?for)"
    r"|in favou?r of|the case for|is the (?:right|fairest|best)|should be|we should|must be"
    r"|i (?:still )?think .{0,40}(?:right|good|worth)|worth (?:it|doing)|pro-)",
)
_OPPOSE = re.compile(
    r"\b(against|oppose|should not|shouldn't|must not|a mistake|is wrong|the case against"
    r"|bad idea|not worth|i (?:do not|don't) (?:think|believe)|skeptic|sceptic|overrated"
    r"|hype|never (?:works?|worked))",
)
_NEGATED_MOTION = re.compile(r"\b(not|no|never|against)\b")


def sentence_polarity(sentence: str) -> int:
    """+1 when a sentence argues for what it talks about, -1 against, 0 unclear."""
    text = sentence.lower()
    support = len(_SUPPORT.findall(text))
    oppose = len(_OPPOSE.findall(text))
    return (support > oppose) - (oppose > support)


def stance_on(motion: str, weighted: list[tuple[str, float]]) -> str:
    """'for', 'against' or 'unclear': the author's relevant sentences, weighted by relevance."""
    total = sum(sentence_polarity(s) * w for s, w in weighted)
    if _NEGATED_MOTION.search(motion.lower()):
        total = -total  # agreeing with the topic means disagreeing with a motion against it
    if total >= 0.5:
        return "for"
    if total <= -0.5:
        return "against"
    return "unclear"
