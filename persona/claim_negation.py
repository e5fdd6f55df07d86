"""Negating a motion in plain English, so a stance on it can be checked from both sides.

"Cities should ban cars" becomes "Cities should not ban cars" and back; a claim without an
auxiliary verb to negate becomes "It is not true that …". The stance model is trained on
both forms with opposite labels and scores both at inference, which cancels the pull a
topic has towards one label whatever is said about it.
"""

from __future__ import annotations

import re

_AUX = ("should", "must", "is", "are", "was", "were", "can", "could", "will", "would",
        "does", "do", "did", "has", "have", "may", "might", "ought to", "need to")
_CONTRACTED = {"shouldn't": "should", "mustn't": "must", "isn't": "is", "aren't": "are",
               "wasn't": "was", "weren't": "were", "can't": "can", "cannot": "can",
               "couldn't": "could", "won't": "will", "wouldn't": "would", "doesn't": "does",
               "don't": "do", "didn't": "did", "hasn't": "has", "haven't": "have"}
_NEGATED = re.compile(
    r"\b(?:(" + "|".join(re.escape(a) for a in _AUX) + r") not|("
    + "|".join(re.escape(c) for c in _CONTRACTED) + r"))\b", re.IGNORECASE)
_POSITIVE = re.compile(r"\b(" + "|".join(re.escape(a) for a in _AUX) + r")\b", re.IGNORECASE)
_NOT_TRUE = re.compile(r"^it is not true that ", re.IGNORECASE)


def is_negated(claim: str) -> bool:
    """Whether the claim is in negated form ('X should not …', 'It is not true that …')."""
    text = " ".join(claim.split())
    if _NOT_TRUE.match(text):
        return True
    negated = _NEGATED.search(text)
    positive = _POSITIVE.search(text)
    return bool(negated and (not positive or negated.start() <= positive.start()))


def negate(claim: str) -> str:
    """The claim's contrary: its first auxiliary verb (un)negated, else 'It is not true that …'."""
    text = " ".join(claim.split()).rstrip(".!")
    if _NOT_TRUE.match(text):
        rest = _NOT_TRUE.sub("", text)
        return rest[:1].upper() + rest[1:]
    negated = _NEGATED.search(text)
    positive = _POSITIVE.search(text)
    if negated and (not positive or negated.start() <= positive.start()):
        plain = negated.group(1) or _CONTRACTED[negated.group(2).lower()]
        return text[:negated.start()] + plain + text[negated.end():]
    if positive and positive.start() < 60:
        return text[:positive.end()] + " not" + text[positive.end():]
    return "It is not true that " + text[:1].lower() + text[1:]
