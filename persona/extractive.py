"""The `extractive` backend: a reply built only from the author's own sentences, each cited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.chunking import split_sentences
from knowledge.embedding import Embedder
from persona.grounding import Source
from persona.persona import Persona
from persona.prompts import prompts, render
from persona.stance import sentence_polarity, stance_on

_MIN_WORDS, _MAX_WORDS = 6, 60
_PICK = 4
_MMR_LAMBDA = 0.72
_FIRST_PERSON = (" i ", " i'", " my ", " me ", " we ", " our ")


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage, with where it came from."""

    n: int          # source number, as cited
    order: int      # position among the source's passages and sentences
    text: str


@dataclass(frozen=True)
class ExtractiveReply:
    """The composed text (with [n] markers and verbatim quotes) and, for debates, a stance."""

    text: str
    stance: str | None


def candidates(sources: Sequence[Source]) -> list[Candidate]:
    """Every quotable sentence of the retrieved passages."""
    out: list[Candidate] = []
    for source in sources:
        order = 0
        for passage in sorted(source.hit.passages, key=lambda p: p.index):
            for paragraph in passage.text.split("\n\n"):
                for sentence in split_sentences(paragraph):
                    order += 1
                    words = len(sentence.split())
                    if _MIN_WORDS <= words <= _MAX_WORDS and '"' not in sentence:
                        out.append(Candidate(source.n, order, sentence))
    # Passages overlap: keep each sentence once.
    seen: set[tuple[int, str]] = set()
    unique = []
    for c in out:
        if (c.n, c.text) not in seen:
            seen.add((c.n, c.text))
            unique.append(c)
    return unique


def score(query: str, pool: list[Candidate], embedder: Embedder,
          stance_bonus: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Relevance of each candidate to the query, and the candidates' vectors."""
    vectors = embedder.embed([query, *[c.text for c in pool]])
    q, s = vectors[0], vectors[1:]
    relevance = s @ q
    # Prefer the author's first-person sentences and the better-ranked posts, slightly;
    # in a debate, sentences that state a position plainly.
    for i, c in enumerate(pool):
        padded = f" {c.text.lower()} "
        relevance[i] += 0.04 * any(m in padded for m in _FIRST_PERSON) + 0.05 / c.n
        if stance_bonus and sentence_polarity(c.text):
            relevance[i] += stance_bonus
    return relevance, s


def select(pool: list[Candidate], relevance: np.ndarray, s: np.ndarray,
           k: int = _PICK) -> list[tuple[Candidate, float]]:
    """The k most relevant, least redundant sentences (maximal marginal relevance)."""
    if not pool:
        return []
    chosen: list[int] = []
    while len(chosen) < min(k, len(pool)):
        if chosen:
            redundancy = (s @ s[chosen].T).max(axis=1)
            mmr = _MMR_LAMBDA * relevance - (1 - _MMR_LAMBDA) * redundancy
        else:
            mmr = relevance.copy()
        mmr[chosen] = -np.inf
        chosen.append(int(np.argmax(mmr)))
    picked = [(pool[i], float(relevance[i])) for i in chosen]
    return sorted(picked, key=lambda pc: (pc[0].n, pc[0].order))


def _quote_block(picked: list[tuple[Candidate, float]], sources: Sequence[Source]) -> str:
    """The chosen sentences, grouped by post, each quoted and cited."""
    template = prompts()["extractive"]["quote_line"]
    lines: list[str] = []
    current = -1
    for cand, _score in picked:
        if cand.n != current:
            hit = sources[cand.n - 1].hit
            year = hit.published.year if hit.published else "undated"
            lines.append(render(template, title=hit.title, year=year, sentence=cand.text,
                                n=cand.n))
            current = cand.n
        else:
            lines[-1] += f' "{cand.text}" [{cand.n}]'
    return "\n\n".join(lines)


def opening(mode: str, query: str) -> str:
    """The reply's first line, known before any sentence is chosen (so it can stream first)."""
    texts = prompts()["extractive"]
    if mode == "debate":
        return render(texts["debate_opening"], motion=query)
    return str(texts["reflect_opening" if mode == "reflect" else "ask_opening"])


def compose(mode: str, query: str, sources: Sequence[Source], persona: Persona,
            embedder: Embedder, side: str | None = None) -> ExtractiveReply:
    """Build the reply for ask, debate or reflect from the retrieved passages alone."""
    texts = prompts()["extractive"]
    pool = candidates(sources)
    picked: list[tuple[Candidate, float]] = []
    parts: list[str] = [opening(mode, query)]
    stance: str | None = None
    if pool:
        relevance, vectors = score(query, pool, embedder,
                                   stance_bonus=0.08 if mode == "debate" else 0.0)
        picked = select(pool, relevance, vectors)
    if mode == "debate":
        # Every relevant sentence votes, not only the quoted ones; titles state positions
        # too ("Against Mandatory Return-to-Office"), weighed by their own relevance.
        evidence = [(c.text, float(w)) for c, w in zip(pool, relevance, strict=True)]
        titles = [s.hit.title for s in sources]
        if titles:
            vectors = embedder.embed([query, *titles])
            evidence += list(zip(titles, (vectors[1:] @ vectors[0]).tolist(), strict=True))
        stance = stance_on(query, evidence)
        parts.append(texts[f"debate_stance_{stance}"])
        if side and stance != "unclear" and side != stance:
            parts.append(texts["debate_counter"])
    if picked:
        parts.append(_quote_block(picked, sources))
    elif mode == "debate":
        parts.append(texts["debate_concede"])
    if persona.sign_off:
        parts.append(persona.sign_off)
    return ExtractiveReply("\n\n".join(parts), stance)
