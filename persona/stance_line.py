"""Strip the `STANCE: for|against|unclear` line a model is asked to begin a debate with."""

from __future__ import annotations

import re
from dataclasses import dataclass

_STANCE_RE = re.compile(r"^\s*\**\s*stance\s*\**\s*:\s*\**\s*(for|against|unclear)\b\**[ \t]*\n?",
                        re.I)
_MAX_HOLD = 60


@dataclass
class StanceLine:
    """Holds back the first characters of a debate reply until the stance line is known."""

    active: bool
    stance: str | None = None
    _held: str = ""
    _done: bool = False

    def feed(self, text: str) -> str:
        """Pass text through, minus a leading stance line."""
        if not self.active or self._done:
            return text
        self._held += text
        if "\n" not in self._held and len(self._held) < _MAX_HOLD:
            return ""
        return self._release()

    def finish(self) -> str:
        """Release anything still held."""
        if not self.active or self._done:
            return ""
        return self._release()

    def _release(self) -> str:
        self._done = True
        match = _STANCE_RE.match(self._held)
        if match:
            self.stance = match.group(1).lower()
            return self._held[match.end():].lstrip("\n")
        return self._held


def checked_stance(plan: object, stated: str | None) -> str:
    """The reply's stance: the plan's, unless the model argued another side (then unclear).

    The plan's stance was judged from the author's own sentences; a model that states a
    different one is not trusted to have read him better, and the reply says it is unclear.
    """
    judged = str(getattr(plan, "stance", "unclear"))
    if stated is None or stated == judged:
        return judged
    return "unclear"
