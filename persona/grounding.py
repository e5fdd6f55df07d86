"""Grounding enforced in code: citations must name retrieved posts, quotes must be verbatim.

The filter sits between the model and the reader. Plain text passes through at once (so
streaming stays fast); only a citation marker or a quotation is held back until it can be
checked, then emitted as is, repaired, or dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from knowledge.chunking import split_sentences
from knowledge.search import SearchHit

_CITE_RE = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_CITE_PREFIX_RE = re.compile(r"\[\d{0,3}(?:\s*[,;]\s*\d{0,3})*$")
_AFTER_QUOTE_RE = re.compile(r"^(\s*)\[(\d{1,3})\]")
# Every quotation mark a model may open with, and what may close it.
_OPENERS = {"“": "”", '"': '"', "‘": "’", "'": "'", "«": "»", "„": "“”", "‹": "›"}
_CURLY_OPENERS = "“‘«„‹"
_STRAIGHT = "\"'"
_APOSTROPHES = "'’"           # these also end words (don't, don’t): not closers before a letter
_MIN_QUOTE_WORDS = 4          # shorter quotes keep their marks only if they are his words
_MAX_HELD = 800               # an "opening quote" with no close this late was not a quote
_LOOKAHEAD = 8                # characters to wait after a quote for its [n]
_REPAIR_RATIO = 0.85


@dataclass(frozen=True)
class Source:
    """A retrieved post as the model saw it: its number, its hit, and its full text."""

    n: int
    hit: SearchHit
    text: str


def normalize(text: str) -> str:
    """Compare text modulo whitespace, typographic quotes and dashes."""
    text = (text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
            .replace("—", "-").replace("–", "-"))
    return " ".join(text.split())


def _core(quote: str) -> str:
    return normalize(quote).strip(" .,;:!?\"'")


def contains_verbatim(text: str, quote: str) -> bool:
    """True when quote (or each part of an elided quote) appears in text, in order."""
    haystack = normalize(text)
    position = 0
    for part in re.split(r"\.\.\.|…", quote):
        core = _core(part)
        if not core:
            continue
        found = haystack.find(core, position)
        if found < 0 and core[:1].isalpha():  # a quote may start mid-sentence, re-capitalised
            found = haystack.find(core[0].swapcase() + core[1:], position)
        if found < 0:
            return False
        position = found + len(core)
    return True


@dataclass
class GroundingFilter:
    """Feed model text in; get back text whose citations and quotes all check out."""

    sources: list[Source]
    cited: list[int] = field(default_factory=list)
    quotes: dict[int, str] = field(default_factory=dict)
    dropped_citations: int = 0
    dropped_quotes: int = 0
    repaired_quotes: int = 0
    unquoted: int = 0             # short quotes not in any source, shown without their marks
    _pending: str = ""
    _last_cited: int | None = None
    _last_char: str = ""  # the last character already emitted (to tell an inch mark from a quote)

    def feed(self, delta: str) -> str:
        """Accept more model text; return the part that is safe to show now."""
        self._pending += delta
        return self._drain(final=False)

    def finish(self) -> str:
        """The model is done: resolve whatever is still held back."""
        return self._drain(final=True)

    # -- the state machine ---------------------------------------------------------------

    def _drain(self, final: bool) -> str:
        out: list[str] = []

        def emit(text: str) -> None:
            if text:
                out.append(text)
                self._last_char = text[-1]

        while self._pending:
            text = self._pending
            cut = _next_trigger(text, self._last_char)
            if cut < 0:
                emit(text)
                self._pending = ""
                break
            emit(text[:cut])
            self._pending = text[cut:]
            emitted = self._resolve_head(final)
            if emitted is None:  # must wait for more text
                break
            emit(emitted)
        return "".join(out)

    def _resolve_head(self, final: bool) -> str | None:
        """Resolve the citation or quote at the start of _pending, or None to wait."""
        text = self._pending
        if text[0] == ">":
            return self._block_quote(text, final)
        if text[0] == "[":
            match = _CITE_RE.match(text)
            if match:
                self._pending = text[match.end():]
                return self._citation(match.group(1))
            if _CITE_PREFIX_RE.match(text) and not final and len(text) < 16:
                return None
            self._pending = text[1:]
            return "["
        if text[0] in _STRAIGHT and self._last_char.isalnum():  # 13" is an inch mark
            self._pending = text[1:]
            return text[0]
        end = _find_closer(text, _OPENERS[text[0]], final)
        if end < 0:
            if end == -1 and (final or len(text) > _MAX_HELD):
                self._pending = text[1:]
                return text[0]
            return None
        closer = text[end]
        after = text[end + 1 :]
        rest = after.lstrip()
        if not final and (
            (not rest and len(after) < _LOOKAHEAD)
            or (rest.startswith("[") and not _CITE_RE.match(rest)
                and _CITE_PREFIX_RE.match(rest) and len(rest) < 16)
        ):
            return None  # a [n] for this quote may still be arriving
        quote = text[1:end]
        cite = _AFTER_QUOTE_RE.match(after)
        n = int(cite.group(2)) if cite else None
        consumed = end + 1 + (cite.end() if cite else 0)
        self._pending = text[consumed:]
        return self._quote(text[0], closer, quote, n, cite.group(1) if cite else "")

    def _citation(self, numbers: str) -> str:
        kept = []
        for raw in re.split(r"\s*[,;]\s*", numbers):
            n = int(raw)
            if 1 <= n <= len(self.sources):
                kept.append(n)
                self._note_cited(n)
            else:
                self.dropped_citations += 1
        return "".join(f"[{n}]" for n in kept)

    def _note_cited(self, n: int) -> None:
        if n not in self.cited:
            self.cited.append(n)
        self._last_cited = n

    def _block_quote(self, text: str, final: bool) -> str | None:
        """A `>` line: kept if it is the author's words, repaired, or dropped with its line end."""
        end = text.find("\n")
        if end < 0 and not final:
            return None
        line = text if end < 0 else text[:end]
        self._pending = "" if end < 0 else text[end:]
        content = _CITE_RE.sub("", line[1:]).strip()
        if len(content.split()) < 2 or self._is_title(content):
            return _CITE_RE.sub(lambda m: self._citation(m.group(1)), line)
        cite = _CITE_RE.search(line)
        n = int(re.split(r"\s*[,;]\s*", cite.group(1))[0]) if cite else None
        owner = self._owner_of(content, n)
        if owner is None:
            repaired = self._repair(content)
            if repaired is None:
                self.dropped_quotes += 1
                self._pending = self._pending[1:]  # the line goes, its line break too
                return ""
            owner, content = repaired
            self.repaired_quotes += 1
        self._note_cited(owner)
        self.quotes.setdefault(owner, content)
        return f"> {content} [{owner}]"

    def _quote(self, opener: str, closer: str, quote: str, n: int | None, space: str) -> str:
        words = len(quote.split())
        if words < _MIN_QUOTE_WORDS or self._is_title(quote):
            # Not a quotation to repair, but any citation marker inside it still is checked.
            inner = _CITE_RE.sub(lambda m: self._citation(m.group(1)), quote)
            cite = (space + self._citation(str(n))) if n else ""
            bare = _CITE_RE.sub("", quote)
            if words < 2 or self._is_title(quote) or any(
                    contains_verbatim(s.text, bare) for s in self.sources):
                return f"{opener}{inner}{closer}{cite}"
            # A short phrase he never wrote keeps its words but not the marks that would
            # present it as his.
            self.unquoted += 1
            return f"{inner}{cite}"
        owner = self._owner_of(quote, n)
        if owner is None:
            repaired = self._repair(quote)
            if repaired is None:
                # Not the author's words: the quotation goes, a valid marker stays.
                self.dropped_quotes += 1
                return self._citation(str(n)) if n else ""
            owner, quote = repaired
            self.repaired_quotes += 1
        self._note_cited(owner)
        self.quotes.setdefault(owner, quote.strip())
        return f"{opener}{quote}{closer}{space or ' '}[{owner}]"

    def _is_title(self, quote: str) -> bool:
        """Naming a retrieved post by its title is not quoting it."""
        return any(_core(quote) == _core(s.hit.title) for s in self.sources)

    def _owner_of(self, quote: str, n: int | None) -> int | None:
        """The source the quote really comes from, preferring the one cited."""
        preferred = [x for x in (n, self._last_cited) if x and 1 <= x <= len(self.sources)]
        for candidate in [*preferred, *range(1, len(self.sources) + 1)]:
            if contains_verbatim(self.sources[candidate - 1].text, quote):
                return candidate
        return None

    def _repair(self, quote: str) -> tuple[int, str] | None:
        """The closest real sentence, if one is close enough to be what the model meant."""
        target = _core(quote)
        best: tuple[float, int, str] = (0.0, 0, "")
        for source in self.sources:
            for paragraph in source.text.split("\n\n"):
                for sentence in split_sentences(paragraph):
                    ratio = SequenceMatcher(None, target, _core(sentence)).ratio()
                    if ratio > best[0]:
                        best = (ratio, source.n, sentence)
        if best[0] >= _REPAIR_RATIO:
            return best[1], best[2]
        return None


def _next_trigger(text: str, before: str = "") -> int:
    """Index of the first character that may start a citation or a quotation."""
    found = [text.find(c) for c in "[" + _CURLY_OPENERS]
    positions = [i for i in (*found, _straight_open(text, before), _block_start(text, before))
                 if i >= 0]
    return min(positions) if positions else -1


def _block_start(text: str, before: str = "") -> int:
    """A `>` that starts a line (a Markdown block quote)."""
    if text.startswith(">") and before in ("", "\n"):
        return 0
    i = text.find("\n>")
    return i + 1 if i >= 0 else -1


def _find_closer(text: str, closers: str, final: bool) -> int:
    """Index of the mark closing the quote opened at text[0]; -1 none yet, -2 cannot tell yet."""
    for i in range(1, len(text)):
        if text[i] not in closers:
            continue
        if text[i] in _APOSTROPHES:
            if i + 1 == len(text):
                return i if final else -2
            if text[i + 1].isalnum():
                continue
        return i
    return -1


def _straight_open(text: str, before: str = "") -> int:
    """A straight quote that opens a quotation (not one closing a word, an inch mark or an
    apostrophe).

    `before` is the character emitted just before text, so a quote at index 0 is judged too.
    """
    for match in re.finditer("[\"']", text):
        i = match.start()
        previous = text[i - 1] if i else before
        if previous.isalnum():
            continue
        if i + 1 == len(text):
            return i  # cannot tell yet
        if not text[i + 1].isspace():
            return i
    return -1
