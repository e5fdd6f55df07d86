"""Number citations 1..n in the order the reply first uses them.

Sources are numbered by retrieval rank when the model sees them, so a reply may cite
[3] before [1] and skip [2]; the reader should see [1], [2], [3] in reading order. The
grounding filter emits whole markers, so each streamed piece can be rewritten on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKER_RE = re.compile(r"\[(\d{1,3})\]")
# A whole quotation (the grounding filter emits each one in a single piece): markers inside
# it are the post's own footnotes, not citations, and the quote must stay verbatim.
_QUOTED_RE = re.compile(r'"[^"]*"|“[^”]*”')


@dataclass
class CitationOrder:
    """Rewrites `[source number]` markers into `[order of first use]`."""

    sources: int                                            # how many sources were shown
    numbers: dict[int, int] = field(default_factory=dict)  # source number -> shown number

    def feed(self, text: str) -> str:
        """The same text with every citation marker outside quotations renumbered."""
        out, last = [], 0
        for quote in _QUOTED_RE.finditer(text):
            out += [self._renumber(text[last:quote.start()]), quote.group()]
            last = quote.end()
        return "".join([*out, self._renumber(text[last:])])

    def _renumber(self, text: str) -> str:
        def shown(m: re.Match[str]) -> str:
            n = int(m.group(1))
            return f"[{self.shown(n)}]" if 1 <= n <= self.sources else m.group()
        return _MARKER_RE.sub(shown, text)

    def shown(self, source: int) -> int:
        """The number a source is shown as (assigned at its first use)."""
        return self.numbers.setdefault(source, len(self.numbers) + 1)

    def in_order(self) -> list[int]:
        """Source numbers in the order they were first cited."""
        return sorted(self.numbers, key=self.numbers.__getitem__)
