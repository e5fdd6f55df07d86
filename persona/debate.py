"""The state of a debate, read from the conversation: the motion, the sides, the rounds.

The API is stateless (the page or the Slack thread keeps the conversation), so every turn
re-reads the debate from the history: the motion is the reader's message that stated a
position; a later message that argues a point about it is a new round, not a new motion;
a position on another subject starts a new debate. A caller that knows the motion (a post
pinned with `/?debate=`, or the motion echoed back from the previous reply) passes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from persona.stance import proposes

if TYPE_CHECKING:  # messages builds prompts from debate plans; only the type is needed here
    from persona.messages import Turn

SIDES = ("for", "against")
NO_SIDE = ""  # the reader has not taken a side yet: a question, or a post opened for debate
# How close (cosine of MiniLM vectors) a message must be to the motion to argue about it.
RELATED = 0.3

# A reply to the avatar's last turn, not a position of its own.
_REBUTTAL_RE = re.compile(
    r"^\s*(but|no\b|nope|yes\b|yeah|well\b|however|still\b|so\b|and\b|even so|ok|okay|"
    r"fair|true|sure|i disagree|i agree|you |your |that |this |it |isn't that|wouldn't|"
    r"doesn't|don't you|what about|how about|what if|why not|why|surely|then\b|except)",
    re.I)
_QUESTION_RE = re.compile(
    r"^\s*(what|why|how|when|where|who|which|do|does|did|is|are|was|were|can|could|"
    r"should you|would you|have you|has)\b.*\?\s*$", re.I | re.S)
# The reader's own framing around a motion: "I think that …", "Motion: …".
_LEAD_RE = re.compile(
    r"^\s*(motion\s*:|this house (believes|would)( that)?|i (really |strongly |firmly )?"
    r"(think|believe|say|argue|claim|hold|maintain)( that)?|in my (view|opinion),?|"
    r"let'?s debate( whether| that)?|debate( me)?( on)?:?|i'?m (for|in favou?r of)|"
    r"i support)\s+", re.I)
_AGAINST_LEAD_RE = re.compile(
    r"^\s*(i'?m against|i am against|i oppose|against|i disagree (with the idea )?that|"
    r"i (don't|do not) (think|believe)( that)?|it is wrong that|i reject( the idea that)?)"
    r"\s+", re.I)


@dataclass(frozen=True)
class DebateState:
    """Where a debate stands at this turn."""

    motion: str
    reader_side: str       # "for" | "against", or NO_SIDE before the reader takes one
    latest: str = ""       # the reader's latest argument ("" when this turn states the motion)
    round: int = 1         # 1 for the opening turn, +1 per later argument

    def to_json(self) -> dict[str, Any]:
        """The state as the API and the page show it."""
        return {"motion": self.motion, "reader_side": self.reader_side or None,
                "latest": self.latest, "round": self.round}


Related = Callable[[str, str], float]
"""Similarity of two texts in [-1, 1] (the avatar passes the embedder's cosine)."""


def same_words(a: str, b: str) -> bool:
    """The same text, spacing and case aside (a pinned title typed back, say)."""
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def states_position(message: str) -> bool:
    """A statement a debate can be about: not a question, not a reply to the last turn."""
    text = message.strip()
    if not text or _QUESTION_RE.match(text) or _REBUTTAL_RE.match(text):
        return False
    return len(text.split()) >= 3


def motion_of(message: str) -> tuple[str, str]:
    """The motion a message states and the side it takes: 'I oppose X' -> (X, against);
    a question ('Should cities ban cars?') takes none."""
    text = " ".join(message.split()).strip()
    framed = _framing(text)
    if framed is not None:
        return framed
    # "Why not ban cars …?" proposes what it asks (as in persona.stance); other questions ask.
    asks = text.endswith("?") and not proposes(text)
    return _tidy(text), NO_SIDE if asks else "for"


def _framing(text: str) -> tuple[str, str] | None:
    """(motion, side) when the reader frames his side in so many words ('I oppose …', 'I
    think that …') around at least two words of motion."""
    for pattern, side in ((_AGAINST_LEAD_RE, "against"), (_LEAD_RE, "for")):
        found = pattern.match(text)
        if found and len(text[found.end():].split()) >= 2:
            return _tidy(text[found.end():]), side
    return None


def read_debate(message: str, history: Sequence[Turn] = (), *, related: Related,
                motion: str | None = None, side: str | None = None) -> DebateState:
    """The debate this message belongs to, from the reader's turns so far."""
    if side is not None and side not in SIDES:
        raise ValueError(f"side must be 'for' or 'against', not {side!r}")
    if motion and motion.strip():
        return _pinned(motion.strip(), message, history, side, related)
    state: DebateState | None = None
    for text in [t.content for t in history if t.role == "user"] + [message]:
        state = _next(state, text, related)
    assert state is not None  # the message itself always yields a state
    # A side the reader picked explicitly (the page's for/against switch) wins.
    return _with_side(state, side)


def _next(state: DebateState | None, text: str, related: Related) -> DebateState:
    """Fold one reader message into the debate so far."""
    if state is None or (states_position(text) and not states_position(state.motion)):
        # A question only stands in as the motion until the reader states a position.
        motion, taken = motion_of(text)
        return DebateState(motion, taken)
    if _argues(text, state.motion, related):
        # A reader with no side yet takes the one he states ("I oppose banning cars …").
        framed = _framing(text.strip())
        side = state.reader_side or (framed[1] if framed else NO_SIDE)
        return DebateState(state.motion, side, text.strip(), state.round + 1)
    if states_position(text):
        motion, taken = motion_of(text)
        return DebateState(motion, taken)
    # An unrelated question: the debate goes on, the question is its latest point.
    return DebateState(state.motion, state.reader_side, text.strip(), state.round + 1)


def _pinned(motion: str, message: str, history: Sequence[Turn], side: str | None,
            related: Related) -> DebateState:
    """A motion the caller names: every reader message after it is an argument."""
    rounds = sum(1 for t in history if t.role == "user")
    same = same_words(message, motion)
    # The motion is the post's claim, not the reader's: opening a post for debate takes no
    # side (the page's for/against switch gives it), whatever the claim's wording.
    state = DebateState(motion_of(motion)[0], NO_SIDE, "" if same else message.strip(),
                        rounds + 1)
    return _with_side(state, side)


def _argues(text: str, motion: str, related: Related) -> bool:
    """Whether a message argues about the motion rather than starting something new."""
    if _REBUTTAL_RE.match(text) or not states_position(text):
        return True
    return related(motion, text) >= RELATED


def _with_side(state: DebateState, side: str | None) -> DebateState:
    if side is None or side == state.reader_side:
        return state
    return DebateState(state.motion, side, state.latest, state.round)


def _tidy(text: str) -> str:
    text = text.strip().rstrip(".!")
    return text[:1].upper() + text[1:]
