"""The quotable sentences of the retrieved posts, each with who said it.

A blog post mixes the author's words with what he quotes (news extracts, e-mails from others,
chatbot answers) and with sign-offs; the archive labels each stretch of a passage with its
speaker. The avatar calls only the author's sentences his own, names quoted material as
quoted, never quotes a sign-off, and never gives an objection he reports as his view without
the answer he gave it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.search import Passage
from knowledge.speaker_paragraphs import HEADERS
from knowledge.speaker_rules import BULLET_RE
from persona.grounding import Source
from persona.stance import proposes

AUTHOR = "author"
OBJECTION = "objection"
# Never quoted at all: greetings, signatures, trailers.
UNQUOTABLE = frozenset({"signoff"})
MIN_WORDS, MAX_WORDS = 5, 70
_PER_PASSAGE = 10_000  # more sentences than any chunk holds
# A post's own footnote marks ("[2]") would read as citations in a reply.
_FOOTNOTE_RE = re.compile(r"\[\d{1,3}\]")
_DOUBLE_QUOTES = ('"', "“", "”")


@dataclass(frozen=True)
class Said:
    """One sentence of a retrieved post, where it sits, and whose words it is."""

    n: int               # the source number the sentence is cited as
    order: int           # position in the post: chunk number, then sentence within it
    text: str
    speaker: str = AUTHOR
    label: str = ""      # e.g. "a news report in The Harbour Gazette" for quoted material
    reply: str = ""      # for an objection: the author's next sentence, which answers it

    @property
    def is_question(self) -> bool:
        """A question of his own: it states no position and answers nothing."""
        text = self.text.strip()
        body = text.rstrip(" \"'”“’)]")
        if not body.endswith("?") or proposes(text):
            return False  # a proposal put as a question states a position
        # 'I ask "What Microsoft is this the Altair Basic of?"' reports a question and is the
        # answer; a sentence that is all quotation ('“Should a city …?”') is a question.
        # (A statement before a colon, "The way to get ideas is to notice anomalies: what
        # seems strange?", was tried as no question: "…asked me the same question: should
        # we use chatbots?" then voted "should" in a debate and lost a sample motion.)
        opening = max(body.rfind(mark) for mark in _DOUBLE_QUOTES)
        return opening <= 0 or not any(m in text[len(body):] for m in _DOUBLE_QUOTES)

    @property
    def introduces(self) -> bool:
        """A line that only introduces what follows it ("Councillor Maas replied:", "Deputy
        Mayor Bos wrote ,"): a paragraph that stops at a colon or a comma."""
        return self.text.rstrip().endswith((":", ","))

    @property
    def his_statement(self) -> bool:
        """His own words, stating something: not a view he reports, not an intro line."""
        return self.speaker == AUTHOR and not self.introduces

    @property
    def is_authors(self) -> bool:
        """The author's own words (an objection he reports is his sentence, not his view)."""
        return self.speaker in (AUTHOR, OBJECTION)


def said_in(sources: Sequence[Source]) -> list[Said]:
    """Every quotable sentence of the sources, once each, with its speaker."""
    out: list[Said] = []
    for source in sources:
        seen: set[str] = set()
        for passage in sorted(source.hit.passages, key=lambda p: p.index):
            pieces = _pieces(passage)
            for i, (text, speaker, label) in enumerate(pieces):
                # Sentences are consecutive only inside one passage: the passages retrieved
                # for a post need not be neighbours in it.
                order = passage.index * _PER_PASSAGE + i
                if text in seen or speaker in UNQUOTABLE or label == HEADERS:
                    continue  # passages overlap: keep each sentence once
                seen.add(text)
                words = len(text.split())
                if not MIN_WORDS <= words <= MAX_WORDS or _FOOTNOTE_RE.search(text):
                    continue
                # Straight double quotes inside would end the reply's own quotation early;
                # curly ones do not, and still compare as verbatim (grounding.normalize).
                # Dropping such sentences lost answers ('I ask "What Microsoft is…?"').
                text = _curly_inner(text)
                reply = _answer_to(pieces, i) if speaker == OBJECTION else ""
                out.append(Said(source.n, order, text, speaker, label, reply))
    return out


def _curly_inner(text: str) -> str:
    """The sentence with its straight double quotes turned into curly ones, in pairs."""
    if '"' not in text:
        return text
    parts = text.split('"')
    return "".join(part + ("“" if i % 2 == 0 else "”") for i, part in enumerate(parts[:-1])) \
        + parts[-1]


def _pieces(passage: Passage) -> list[tuple[str, str, str]]:
    """(sentence, speaker, label) for a passage, from the archive's speaker spans; a list
    bullet before a sentence is left out (the rest is still verbatim)."""
    out = []
    for text, span in passage.pieces():
        text = BULLET_RE.sub("", text.strip())  # a list mark is not a word of his
        if text:
            out.append((text, span.speaker, span.description))
    return out


def _answer_to(pieces: list[tuple[str, str, str]], i: int) -> str:
    """His answer to an objection: his next own sentence, and the one after it when that
    follows straight on (a first reply is often only "I take that seriously.")."""
    answer: list[str] = []
    for text, speaker, _label in pieces[i + 1:]:
        if speaker != AUTHOR:
            if answer:
                break
            continue
        answer.append(text)
        if len(answer) == 2 or len(text.split()) >= 15:
            break
    return " ".join(answer)


def annotated(source: Source) -> str:
    """A source's passages for a language model, quoted material marked as not his."""
    blocks: list[str] = []
    for passage in sorted(source.hit.passages, key=lambda p: p.index):
        current = ""
        sentences: list[str] = []
        for text, speaker, label in _pieces(passage):
            # His own words (a sign-off too) go untagged; quoted material is named.
            tag = "" if speaker in (AUTHOR, OBJECTION, *UNQUOTABLE) else label or speaker
            if tag != current and sentences:
                blocks.append(_tagged(current, sentences))
                sentences = []
            current = tag
            sentences.append(text)
        if sentences:
            blocks.append(_tagged(current, sentences))
    return "\n\n".join(blocks) if blocks else source.text


def _tagged(tag: str, sentences: list[str]) -> str:
    text = " ".join(sentences)
    return f"(quoted material, not the author's words: {tag})\n{text}" if tag else text
