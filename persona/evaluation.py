"""Check replies for faithfulness: citations name retrieved posts, quotes are verbatim."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from knowledge.tokens import tokenize
from persona.grounding import contains_verbatim
from persona.replies import Reply

_QUOTED_RE = re.compile(r'"([^"]{10,}?)"|“([^”]{10,}?)”')


@dataclass(frozen=True)
class EvalQuestion:
    """A question, the post(s) that answer it (empty when the archive cannot), and its kind."""

    question: str
    gold: tuple[str, ...] = ()
    answerable: bool = True
    answer: str = ""  # a reference answer, for answer recall (optional)


@dataclass
class EvalTotals:
    """Counts over a run; `report()` turns them into shares."""

    replies: int = 0
    citations: int = 0
    citations_retrieved: int = 0
    quotes: int = 0
    quotes_verbatim: int = 0
    answerable: int = 0
    gold_cited: int = 0
    answerable_declined: int = 0
    unanswerable: int = 0
    unanswerable_declined: int = 0
    with_reference: int = 0
    recall_sum: float = 0.0       # answer recall over the whole reply
    lead_recall_sum: float = 0.0  # ... over its first paragraph only
    words_sum: int = 0
    failures: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """Shares in [0, 1] plus the raw counts and the first failures."""
        def share(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "replies": self.replies,
            "citations_retrieved": share(self.citations_retrieved, self.citations),
            "quotes_verbatim": share(self.quotes_verbatim, self.quotes),
            "gold_cited": share(self.gold_cited, self.answerable),
            "declined_answerable": share(self.answerable_declined, self.answerable),
            "declined_unanswerable": share(self.unanswerable_declined, self.unanswerable),
            "answer_recall": _mean(self.recall_sum, self.with_reference),
            "lead_answer_recall": _mean(self.lead_recall_sum, self.with_reference),
            "reply_words": _mean(self.words_sum, self.replies),
            "answerable": self.answerable,
            "counts": {"citations": self.citations, "quotes": self.quotes,
                       "answerable": self.answerable, "unanswerable": self.unanswerable},
            "failures": self.failures[:20],
        }


def check_reply(reply: Reply, question: EvalQuestion, post_text: Callable[[str], str],
                totals: EvalTotals) -> None:
    """Add one reply's checks to the totals (post_text gives a post's full stored text)."""
    totals.replies += 1
    retrieved = set(reply.retrieved)
    texts: dict[str, str] = {}
    for c in reply.citations:
        totals.citations += 1
        if c.post_id in retrieved:
            totals.citations_retrieved += 1
        else:
            totals.failures.append(f"citation of unretrieved post {c.post_id}")
        text = texts.setdefault(c.post_id, post_text(c.post_id))
        totals.quotes += 1
        if contains_verbatim(f"{c.title}\n{text}", c.quote):
            totals.quotes_verbatim += 1
        else:
            totals.failures.append(f"citation quote not verbatim in {c.post_id}: {c.quote[:80]}")
    cited_texts = [texts[c.post_id] for c in reply.citations]
    titles = [c.title for c in reply.citations]
    for quoted in (a or b for a, b in _QUOTED_RE.findall(reply.text)):
        if len(quoted.split()) < 4 or any(quoted.strip() in t for t in titles):
            continue
        totals.quotes += 1
        if any(contains_verbatim(t, quoted) for t in cited_texts):
            totals.quotes_verbatim += 1
        else:
            totals.failures.append(f"quote in text not verbatim in any cited post: {quoted[:80]}")
    totals.words_sum += len(reply.text.split())
    if question.answer and question.answerable:
        totals.with_reference += 1
        totals.recall_sum += answer_recall(question.answer, reply.text)
        totals.lead_recall_sum += answer_recall(question.answer, reply.text.split("\n\n")[0])
    if question.answerable:
        totals.answerable += 1
        totals.answerable_declined += reply.declined
        # Gold posts may be named by post id, by the file name they were ingested from, or
        # by their lower-cased title (question sets that name the article by title).
        cited = {c.post_id for c in reply.citations} | {
            PurePath(c.source).stem for c in reply.citations if c.source} | {
            c.title.strip().lower() for c in reply.citations}
        if set(question.gold) & cited:
            totals.gold_cited += 1
    else:
        totals.unanswerable += 1
        totals.unanswerable_declined += reply.declined


def answer_recall(reference: str, reply: str) -> float:
    """Share of a reference answer's content words (stemmed, stop words out) in the reply."""
    wanted = set(tokenize(reference))
    if not wanted:
        return 0.0
    return len(wanted & set(tokenize(reply))) / len(wanted)


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 4) if count else None


async def evaluate(respond: Callable[[str], Any], questions: Sequence[EvalQuestion],
                   post_text: Callable[[str], str]) -> EvalTotals:
    """Ask every question (respond is the avatar's async ask) and check each reply."""
    totals = EvalTotals()
    for q in questions:
        try:
            reply = await respond(q.question)
        except Exception as exc:
            totals.failures.append(f"{q.question[:60]}: {exc}")
            continue
        check_reply(reply, q, post_text, totals)
    return totals


def load_questions_jsonl(lines: Sequence[str]) -> list[EvalQuestion]:
    """`{"question", "gold": [ids or file stems], "answerable": bool}` per line."""
    import json

    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            gold = item.get("gold", [])
            out.append(EvalQuestion(
                question=str(item["question"]),
                gold=tuple([gold] if isinstance(gold, str) else gold),
                answerable=bool(item.get("answerable", True)),
                answer=str(item.get("answer", "")),
            ))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: not a question object ({exc})") from None
    return out
