"""Where the author's sentences stand on a motion, from explicit cue phrases (no model needed).

Explicit first-person stances ("I am against …", "I support …", a title starting "Against")
weigh three times as much as weaker evaluative cues ("should", "a mistake").
"""

from __future__ import annotations

import re

_I_AM = r"\bi(?: am|'m)(?: still)?(?: firmly| strongly| very much)?"
_STRONG_FOR = re.compile(
    rf"{_I_AM} (?:for|in favou?r of|pro-)|\bi (?:strongly )?(?:support|favou?r)\b"
    r"|\bthe case for\b"
    # "I have argued for X", not "I have argued for years that …" (a duration, not a side).
    r"|\bi have (?:long )?argued for\b(?! (?:years|decades|months|a long time|long)\b)"
)
_STRONG_AGAINST = re.compile(
    rf"{_I_AM} (?:against|opposed to)|\bi (?:strongly )?oppose\b|\bthe case against\b"
    r"|^against\b"
)
# A position put as a question: "Why not open the berth at night?" proposes it.
PROPOSAL_OPENERS = r"(?:why not|how about|isn't it time|is it not time)\b"
_PROPOSAL_QUESTION_RE = re.compile(rf"^\W*{PROPOSAL_OPENERS}", re.I)


# Proposals count for what they propose: besides "should", the ways a blogger who argues by
# suggestion puts them ("I urge …", "My suggestion :", "Why not …?", "it would be better if").
_WEAK_FOR = re.compile(r"\bshould(?! not)\b|\bis the (?:right|fairest|best)\b"
                       r"|\bworth (?:it|doing)\b|\bdeserves?\b"
                       r"|\bmust(?! not)\b|\bi (?!(?:do|did|would|will) not\b|don't\b|wouldn't\b)"
                       r"(?:\w+ (?:to )?)?(?:urge|suggest|propose|recommend)s?\b"
                       r"|\bmy (?:suggestion|proposal|proposed)\b"
                       r"|\b(?:would|will) be (?:much )?better\b"
                       rf"|^{PROPOSAL_OPENERS}|\blet us\b"
                       # A proposal put as a condition: "All of this is possible if the
                       # Minister just picks up the phone".
                       r"|(?<!nothing )\b(?:is|are|becomes|would be) (?:all )?possible if\b"
                       # Approval: "Congratulations for …", "I welcome this step".
                       r"|\bcongratulat\w*|\bkudos\b|\bhats off\b|\bi (?:welcome|applaud|salute)\b"
                       # A lament that something is missing argues for it: "There is no
                       # mechanism using which voters can ask a leader questions".
                       r"|\bthere is no (?:mechanism|provision|forum) (?:by|using|through|for|to"
                       r"|where|which|whereby)\b")
_WEAK_AGAINST = re.compile(r"\bshould not\b|\bshouldn't\b|\bmistake\b|\bwrong\b|\bfailure\b"
                           r"|\bhype\b|\boverrated\b|\bskeptic|\bsceptic|\bbad idea\b"
                           r"|\bmust not\b|\bno need\b|\bdisastrous\b|\babsurd\b"
                           # Regret and the cost of a change: "What a pity …", "with little
                           # room for nuance", "complex issues are oversimplified". (A bare
                           # "unfortunately" regrets anything near it: on the dev motions it
                           # voted against what he was for.)
                           r"|\bwhat a pity\b|\bshame on\b|\bregrettabl[ey]\b"
                           r"|\b(?:little|no) room for (?!error)|\bover-?simplified\b")
# "Anti-immigration people say that … we should train more Americans": a view he reports,
# not his own, whatever its "should". The reporting clause opens the sentence (after at most
# a connective and one qualifying word): "I think we should …, whatever others say", "Many of
# us think we should …" and "We should let people say what they think" are his.
_REPORTED = re.compile(
    r"^\W*(?:(?:but|however|now|yet|still|and|so)\W+)?(?:(?!i\b|we\b)[\w'-]+\s+)?"
    r"(?:people|critics|they|some|many|others|opponents|advocates|proponents|sceptics"
    r"|skeptics)\b(?!\s+of\s+us\b)(?:\s+[\w'-]+){0,2}?\s+(?:say|says|said|argue|argues"
    r"|argued|claim|claims|claimed|insist|insists|think|thinks|believe|believes)\b"
    r"(?!\s+what\b)")
_NEGATED_MOTION = re.compile(r"\b(not|no|never|against)\b")


def proposes(text: str) -> bool:
    """Whether a question proposes what it asks ("Why not open the berth at night?")."""
    return bool(_PROPOSAL_QUESTION_RE.match(text))


def strong_polarity(sentence: str) -> int:
    """Explicit stances only: +1 per 'I am for…', -1 per 'I am against…'."""
    text = sentence.lower().strip()
    return len(_STRONG_FOR.findall(text)) - len(_STRONG_AGAINST.findall(text))


def weak_polarity(sentence: str) -> int:
    """Evaluative cues only ('should', 'a mistake'), clipped to -1..1; none in a view he
    reports as others'."""
    text = sentence.lower().strip()
    if _REPORTED.search(text):
        return 0
    return max(-1, min(1, len(_WEAK_FOR.findall(text)) - len(_WEAK_AGAINST.findall(text))))


def sentence_polarity(sentence: str) -> int:
    """Positive when a sentence argues for what it talks about, negative against, 0 unclear."""
    return 3 * strong_polarity(sentence) + weak_polarity(sentence)


def motion_is_negated(motion: str) -> bool:
    """A motion against something ("Cities should not …"): agreeing with the topic opposes it."""
    return bool(_NEGATED_MOTION.search(motion.lower()))


def stance_on(motion: str, weighted: list[tuple[str, float]], relevant: float = 0.45) -> str:
    """'for', 'against' or 'unclear' from the author's sentences and titles, with relevance.

    Explicit first-person stances among the relevant evidence decide; only when there are
    none do the weaker evaluative cues count. Sentences about something else do not vote.
    """
    evidence = [(s, w) for s, w in weighted if w >= relevant]
    total = sum(strong_polarity(s) * w for s, w in evidence)
    threshold = 0.3
    if not total:
        total = sum(weak_polarity(s) * w for s, w in evidence)
        threshold = 0.9
    if motion_is_negated(motion):
        total = -total  # agreeing with the topic means disagreeing with a motion against it
    if total >= threshold:
        return "for"
    if total <= -threshold:
        return "against"
    return "unclear"
