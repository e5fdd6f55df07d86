"""Label each paragraph of a post with its speaker, walking the cue tables in order."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from knowledge.speaker_rules import (
    BULLET_RE,
    DATE_LINE_RE,
    EMAIL_FROM_RE,
    EMAIL_HEADER_RE,
    FIRST_PERSON_RE,
    FORWARD_RE,
    MODE_LAPSES,
    MODE_SPEAKER,
    PARAGRAPH_RULES,
    QUOTED_MODES,
    QUOTED_RE,
    ParagraphRule,
    ends_quote,
    quote_count,
    starts_quote_block,
)

# The label of an e-mail's header lines (Subject, To, Cc, Date): metadata, never a quotation.
HEADERS = "e-mail headers"

Label = tuple[str, str]  # (speaker, label)
MAX_QUOTE_PARAGRAPHS = 15  # an opening quote mark left open longer than this is a typo
# Honorifics joined to or following a first name when someone addresses him.
_HONORIFICS = r"bhai|ji|bhau|saheb|sahab|sir|san"
REPLY_TO_HIM = "a reply I received"
_HIS_MODES = ("author", "self", "asking")  # where a reply addressing him may start
# "DNA of April 01,2011 reported following :" names the paper, then the day.
_SOURCE_DATE = re.compile(
    r"\s+(?:of|dated|on)\s+(?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s*\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?"
    r"\s*\d{4})\s*$")
_SOURCE_PREFIX = re.compile(
    r"^(?:today['’]s|yesterday['’]s|this morning['’]s|this week['’]s"
    r"|the latest (?:issue of )?)\s*", re.I)


@dataclass
class _Walk:
    """Where the walk is: the mode (whose material is running) and what it is labelled."""

    mode: str = "author"
    label: str = ""
    fresh: bool = False  # the mode was just opened by an intro line: nothing read yet
    news_label: str = ""

    def enter(self, mode: str, label: str = "") -> None:
        self.mode, self.label, self.fresh = mode, label, True


def label_paragraphs(paragraphs: list[str], hinted: dict[str, str], author: str) -> list[Label]:
    """(speaker, label) for each paragraph; hinted maps paragraph text to a known speaker."""
    blocks = quote_blocks(paragraphs)
    walk = _Walk()
    out: list[Label] = []
    i = 0
    while i < len(paragraphs):
        end = blocks.get(i, i if paragraphs[i] in hinted else -1)
        if end >= 0:
            out.extend([_quoted(walk, hinted.get(paragraphs[i], "quote"))] * (end - i + 1))
            if walk.fresh and walk.mode in QUOTED_MODES:
                walk.enter("author")  # the extract the intro announced was this quotation
            walk.fresh = False
            i = end + 1
            continue
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        out.append(_step(walk, BULLET_RE.sub("", paragraphs[i]), following, author))
        i += 1
    return out


def quote_blocks(paragraphs: list[str]) -> dict[int, int]:
    """First paragraph -> last paragraph of each run that quotation marks open and close."""
    blocks: dict[int, int] = {}
    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        end = -1
        if starts_quote_block(paragraph):
            if ends_quote(paragraph):
                end = i
            elif quote_count(paragraph) % 2:  # opened here and not closed: look further on
                end = _closing(paragraphs, i)
        if end >= 0:
            blocks[i] = end
            i = end + 1
        else:
            i += 1
    return blocks


def _closing(paragraphs: list[str], start: int) -> int:
    for j in range(start + 1, min(len(paragraphs), start + MAX_QUOTE_PARAGRAPHS)):
        if quote_count(paragraphs[j]) % 2:
            return j if ends_quote(paragraphs[j]) else -1
    return -1


def _quoted(walk: _Walk, hinted: str) -> Label:
    """A quotation inside running material belongs to it; his own question is his."""
    if walk.mode in QUOTED_MODES:
        return MODE_SPEAKER[walk.mode], walk.label
    if walk.mode == "asking":
        return "author", ""
    return hinted, ""


def _step(walk: _Walk, paragraph: str, following: str, author: str) -> Label:
    """Label one paragraph and move the walk on."""
    name_line = _name_line_re(author)
    if name_line is not None and name_line.match(paragraph):
        walk.enter("signoff")
        return "signoff", ""
    addressed = _addressed_re(author)
    if addressed is not None and walk.mode in _HIS_MODES and addressed.match(paragraph):
        # Someone answering him by name ("Tomasji… what you propose is bold"): a reply he
        # received, pasted in, often a chatbot's with no line announcing it. (Inside an
        # e-mail or a bot's answer that is already named, the sender stays named.)
        walk.enter("reply", REPLY_TO_HIM)
        walk.fresh = False
        return MODE_SPEAKER["reply"], REPLY_TO_HIM
    forwarded = bool(FORWARD_RE.match(paragraph))
    if forwarded or EMAIL_HEADER_RE.search(paragraph):
        return _header(walk, paragraph, author, forwarded)
    for rule in PARAGRAPH_RULES:
        match = rule.matches(paragraph, walk.mode)
        # The author's own sign-off, or his own words announced, are not someone else's.
        # (nor is a line citing his own post with his name as its source)
        if match is None or (rule.name in ("email-signoff", "speech-intro", "headline-cite")
                             and _names(author, paragraph)):
            continue
        return _apply(walk, rule, match, following)
    if walk.mode == "speech":  # the words an intro line announced: one paragraph of them
        if walk.fresh:
            walk.fresh = False
            return MODE_SPEAKER["speech"], walk.label
        walk.enter("author")
    # Reported news is in the third person and level in tone: the author's first person, a
    # question or an exclamation of his ("Who says there is no equality here !") ends it.
    if walk.mode == "news":
        bare = QUOTED_RE.sub("", paragraph)
        if FIRST_PERSON_RE.search(bare) or bare.rstrip().endswith(("?", "!")):
            walk.enter("author")
    elif walk.mode in MODE_LAPSES:
        walk.enter(MODE_LAPSES[walk.mode])
    walk.fresh = False
    return MODE_SPEAKER[walk.mode], walk.label


def _header(walk: _Walk, paragraph: str, author: str, forwarded: bool) -> Label:
    """E-mail headers: a sender other than the author makes what follows his e-mail."""
    found = EMAIL_FROM_RE.search(paragraph)
    sender = " ".join(found["name"].split()).strip(" ,\"'") if found else ""
    if sender and not _names(author, sender):
        walk.enter("email", f"an e-mail from {sender}")
    elif forwarded:
        walk.enter("email", "a forwarded e-mail")
    elif walk.mode != "email":
        walk.enter("author")
    return "email", HEADERS


def _apply(walk: _Walk, rule: ParagraphRule, match: re.Match[str], following: str) -> Label:
    label = _fill(rule.label, match, walk)
    if rule.name == "self-quote" and DATE_LINE_RE.match(following):
        label = f"{label} ({following.strip(' ()')})"
    current = (MODE_SPEAKER[walk.mode], walk.label)  # "=": the line closes what is running
    if rule.mode != "=":
        walk.enter(rule.mode, label)
    if rule.mode == "news":
        walk.news_label = label
    if rule.speaker == "=":
        return current
    # An intro line is the author's own; the label describes what it introduces.
    return rule.speaker, (label if rule.speaker == MODE_SPEAKER[walk.mode] != "author" else "")


def _fill(template: str, match: re.Match[str], walk: _Walk) -> str:
    groups = {k: " ".join(v.split()) for k, v in match.groupdict().items() if v}
    source = next((groups[k] for k in ("src", "src2", "src3", "src4") if groups.get(k)), "")
    source = _SOURCE_DATE.sub("", re.sub(r"\s*\([^)]*\)\s*$", "", source))
    source = _SOURCE_PREFIX.sub("", source).strip(" ,")
    values: defaultdict[str, str] = defaultdict(str, groups)
    values["in_src"] = f" in {source}" if source else ""
    values["news"] = walk.news_label or "a news report"
    return template.format_map(values)


def _names(author: str, text: str) -> bool:
    """Whether text names the author (full name, or first name as a word)."""
    words = author.split()
    if not words:
        return False
    lowered = " ".join(text.lower().split())
    return " ".join(words).lower() in lowered or bool(
        re.search(rf"\b{re.escape(words[0].lower())}\b", lowered))


@lru_cache(maxsize=64)
def _addressed_re(author: str) -> re.Pattern[str] | None:
    """A paragraph that opens by addressing the author by name, then says more: 'Dear Ada,
    …', 'Hemenbhai… what you propose …' (an honorific may be joined to the name)."""
    words = author.split()
    if not words or len(words[0]) < 3:
        return None
    full = r"\s+".join(re.escape(w) for w in words)
    # Vocative punctuation then words: not "Tomas: …" (a transcript), "Tomas — that is me",
    # or a signature with a date ("Tomas, 12 March 2024").
    return re.compile(
        rf"^\W*(?:(?:dear|hi|hello|hey)\s+)?(?:{full}|{re.escape(words[0])})"
        rf"(?:-?(?:{_HONORIFICS}))?(?:\s+(?:{_HONORIFICS}))?\s*(?:…|\.\.\.|,|!)\s*[^\W\d_]",
        re.I)


@lru_cache(maxsize=64)
def _name_line_re(author: str) -> re.Pattern[str] | None:
    """A paragraph that is the author's name alone, perhaps with a date: '— ada ( 2 May )'."""
    words = author.split()
    if not words or len(words[0]) < 2:
        return None
    full = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"^\W*(?:{full}|{re.escape(words[0])})\W*(?:\([^)]*\))?\W*$", re.I)
