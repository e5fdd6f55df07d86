"""The avatar: retrieve the author's posts, prompt the chosen model, stream a grounded reply."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from knowledge.embedding import Embedder
from knowledge.search import SearchHit
from knowledge.tokens import tokenize
from persona.answerability import Answerability, load_answerability
from persona.citation_order import CitationOrder
from persona.debate import SIDES, DebateState, read_debate, same_words
from persona.debate_plan import plan_debate
from persona.extractive_backend import RequestContext
from persona.grounding import GroundingFilter, Source
from persona.messages import Turn, build_messages, rewrite_messages
from persona.model_runner import BackendFailed, Done, ModelRunner, StreamError, Token
from persona.model_types import ChatBackend
from persona.models import ModelRegistry
from persona.one_ending import one_ending as _one_ending
from persona.persona import Persona
from persona.prompts import prompts, render
from persona.query_text import MAX_QUERY_CHARS, standalone_query
from persona.replies import (
    Citation,
    DoneEvent,
    ErrorEvent,
    Event,
    Reply,
    TokenEvent,
    final_reply,
)
from persona.stance_judge import CueJudge, StanceJudge
from persona.stance_line import StanceLine, checked_stance
from persona.thesis import thesis_of


class Search(Protocol):
    """The archive's search: the k best posts; `floor=False` keeps even weak ones."""

    def __call__(self, query: str, k: int, *, floor: bool = True) -> list[SearchHit]: ...


MODES = ("ask", "debate", "reflect")
PASSAGE_GAP = "\n\n…\n\n"
FOLLOW_UP_CONTEXT = 300  # characters of the earlier turn a follow-up's search keeps
# Words that point back into the conversation ("why is that?", "does it work?").
_FOLLOW_UP_RE = re.compile(r"\b(it|that|this|they|them|those|he|she|his|her|there)\b", re.I)


class _RequestModels:
    """The registry seen by one request: backends that need the request get it bound."""

    def __init__(self, registry: ModelRegistry, request: RequestContext) -> None:
        self._registry = registry
        self._request = request
        self.bound: dict[str, Any] = {}

    def chain(self, name: str | None = None) -> list[str]:
        return self._registry.chain(name)

    def build(self, name: str) -> ChatBackend:
        backend: Any = self._registry.build(name)
        # LangChain models have their own .bind(); ours is named so they cannot collide.
        if hasattr(backend, "bind_request"):
            backend = self.bound[name] = backend.bind_request(self._request)
        return backend


@dataclass(frozen=True)
class Prepared:
    """A request after retrieval: the query used and the numbered sources."""

    query: str
    sources: list[Source]
    primary: int = 0  # how many sources the first query found (a debate's motion)
    closest_only: bool = False  # a question the posts may not answer directly


class Avatar:
    """Ask, debate and reflect as the author, from the author's own posts."""

    def __init__(self, persona: Persona, search: Search, registry: ModelRegistry, *,
                 k: int = 5, first_token_timeout: float = 20.0, total_timeout: float = 120.0,
                 suggest_topics: Callable[[], list[str]] | None = None,
                 embedder: Embedder, judge: StanceJudge | None = None,
                 answerability: Answerability | None = None) -> None:
        self.persona = persona
        self._answerability = answerability or load_answerability()
        self._embedder = embedder
        self._judge: StanceJudge = judge or CueJudge()
        self.registry = registry
        self._search = search
        self._k = k
        self._timeouts = {"first_token_timeout": first_token_timeout,
                          "total_timeout": total_timeout}
        self._suggest_topics = suggest_topics

    # -- retrieval -----------------------------------------------------------------------

    async def search_query(self, message: str, history: Sequence[Turn],
                           model: str | None) -> str:
        """The standalone query to search with: follow-ups are rewritten with the history."""
        earlier = [t.content for t in history if t.role == "user"]
        if not earlier or not _leans_on_context(message):
            return message
        name = self.registry.resolve(model)
        if name != "extractive":
            runner = ModelRunner(self.registry, first_token_timeout=10, total_timeout=20)
            try:
                text, _ = await runner.complete(rewrite_messages(history, message), name)
                rewritten = text.strip().splitlines()[0].strip().strip('"') if text.strip() else ""
                if 2 <= len(rewritten.split()) <= 40:
                    return rewritten
            except Exception:  # a failed rewrite must not fail the answer
                pass
        # The earlier turn only lends its subject: a few hundred characters of it, so a long
        # turn cannot drown the new question.
        return standalone_query(earlier[-1], message, len(message) + FOLLOW_UP_CONTEXT)

    async def prepare(self, mode: str, message: str, history: Sequence[Turn],
                      model: str | None, debate: DebateState | None = None) -> Prepared:
        """Retrieve the posts for this turn and number them as sources.

        A debate turn searches for the motion and for the reader's latest argument, so the
        reply can both hold the author's position and meet the point just made.
        """
        if debate is not None:
            queries = [debate.motion] + ([debate.latest] if debate.latest else [])
        elif mode == "reflect":
            queries = [message]
        else:
            query = await self.search_query(message, history, model)
            # A short message that names its own subject ("What about open source funding?")
            # is searched alone first; the history only fills the remaining places.
            queries = [message, query] if query != message and not _points_back(message) \
                else [query]
        hits: list[SearchHit] = []
        primary = 0
        sure = False  # whether any query of a question is answered outright
        for i, text in enumerate(queries):
            k = self._k if i == 0 else max(2, self._k // 2)
            found, outright = await asyncio.to_thread(
                self._relevant, text[:MAX_QUERY_CHARS], k,
                mode == "ask" or (i == 0 and debate is not None))
            hits += [h for h in found if h.post_id not in {x.post_id for x in hits}]
            primary = primary or len(hits)
            sure = sure or (outright and bool(found))
        if debate is None:
            hits = hits[: self._k]
        # Passages of one post need not be neighbours in it: a gap mark between them keeps a
        # quotation that runs across two of them from passing as verbatim.
        sources = [Source(i, hit, PASSAGE_GAP.join(p.text for p in
                                                   sorted(hit.passages, key=lambda p: p.index)))
                   for i, hit in enumerate(hits, 1)]
        return Prepared(queries[0], sources, primary,
                        closest_only=mode == "ask" and bool(sources) and not sure)

    def _relevant(self, query: str, k: int, judged: bool) -> tuple[list[SearchHit], bool]:
        """The posts found for `query` (none when the archive does not answer it), and
        whether they answer it outright rather than only come closest.

        A question (and a debate's motion) is judged by the calibrated answerability model
        on the search's unfloored results, so an unknown name cannot sink a good match and a
        near-topic question can still be declined. A reflected news item and a debate's
        latest point keep the search's own floor: they are long, or only add evidence.
        """
        if not judged:
            return self._search(query, k), True
        found = self._search(query, k, floor=False)
        verdict = self._answerability.judge(query, found, self._embedder)
        if not verdict.answers:
            return [], False
        # The weak posts were read for the decision, not to argue from: a debate's stance
        # drifted when they joined its evidence. When none is strong, the verdict vouches.
        return [h for h in found if h.above_floor] or found, verdict.confident

    # -- replies -------------------------------------------------------------------------

    def stream(self, mode: str, message: str, history: Sequence[Turn] = (),
               model: str | None = None, side: str | None = None,
               motion: str | None = None) -> AsyncIterator[Event]:
        """Stream a grounded reply: TokenEvents, then exactly one DoneEvent or ErrorEvent.

        The mode and the model are checked here, before anything is yielded: an unknown mode
        raises ValueError and a disallowed model ModelNotAllowed, for every surface alike.
        """
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if side is not None and side not in SIDES:
            raise ValueError(f"side must be 'for' or 'against', not {side!r}")
        chosen = self.registry.resolve(model)
        return _one_ending(self._reply(mode, message, history, chosen, side, motion), chosen)

    async def _reply(self, mode: str, message: str, history: Sequence[Turn], chosen: str,
                     side: str | None, motion: str | None) -> AsyncIterator[Event]:
        if self._avoided(message):
            async for event in self._fixed(mode, prompts()["avoid"], chosen):
                yield event
            return
        opening = message
        if mode == "debate" and motion and motion.strip():
            pinned = await asyncio.to_thread(self._pinned_motion, motion.strip())
            if same_words(message, motion):  # the page opens a pinned debate with its title
                opening = pinned
            motion = pinned
        debate = (await asyncio.to_thread(read_debate, opening, history,
                                          related=_Relatedness(self._embedder),
                                          motion=motion, side=side)
                  if mode == "debate" else None)
        prepared = await self.prepare(mode, message, history, chosen, debate)
        if not prepared.sources:
            async for event in self._fixed(mode, self._decline_text(), chosen, declined=True,
                                           debate=debate):
                yield event
            return
        said_before = [t.content for t in history if t.role == "assistant"]
        plan = (await asyncio.to_thread(plan_debate, debate, prepared.sources, self._embedder,
                                        self._judge, prepared.primary, said_before)
                if debate is not None else None)
        query = message if mode == "reflect" else prepared.query
        request = RequestContext(mode, query, prepared.sources, self.persona, plan,
                                 prepared.closest_only)
        models = _RequestModels(self.registry, request)
        runner = ModelRunner(models, **self._timeouts)
        messages = build_messages(mode, self.persona, prepared.sources, history, message,
                                  plan=plan, closest_only=prepared.closest_only)
        grounding = GroundingFilter(prepared.sources)
        order = CitationOrder(len(prepared.sources))
        stance_line = StanceLine(active=plan is not None)
        shown: list[str] = []
        async for step in runner.stream(messages, chosen):
            if isinstance(step, Token):
                safe = order.feed(grounding.feed(stance_line.feed(step.text)))
                if safe:
                    shown.append(safe)
                    yield TokenEvent(safe)
            elif isinstance(step, Done):
                tail = order.feed(grounding.feed(stance_line.finish()) + grounding.finish())
                if tail:
                    shown.append(tail)
                    yield TokenEvent(tail)
                yield DoneEvent(Reply(
                    text="".join(shown).strip(), model=step.model, mode=mode,
                    stance=checked_stance(plan, stance_line.stance) if plan else None,
                    citations=self._citations(grounding, order, prepared),
                    retrieved=[src.hit.post_id for src in prepared.sources],
                    debate=debate.to_json() if debate else None,
                ))
            elif isinstance(step, StreamError):
                yield ErrorEvent(f"The model {step.model} failed part-way through the reply "
                                 f"({step.reason}). Please try again.", step.model)
            elif isinstance(step, BackendFailed):
                detail = "; ".join(f"{m}: {r}" for m, r in step.errors)
                yield ErrorEvent(f"No model could answer right now ({detail}).")

    async def respond(self, mode: str, message: str, history: Sequence[Turn] = (),
                      model: str | None = None, side: str | None = None,
                      motion: str | None = None) -> Reply:
        """The whole reply at once; raises RuntimeError with the error event's message."""
        outcome = await final_reply(self.stream(mode, message, history, model, side, motion))
        if isinstance(outcome, ErrorEvent):
            raise RuntimeError(outcome.message)
        return outcome

    def _pinned_motion(self, motion: str) -> str:
        """A pinned post's title stands for its thesis; any other motion stays as given."""
        return thesis_of(motion, self._search(motion, self._k), self._embedder) or motion

    async def _fixed(self, mode: str, text: str, model: str, declined: bool = False,
                     debate: DebateState | None = None) -> AsyncIterator[Event]:
        """A reply that needs no model: a decline or a refusal, in the persona's voice."""
        if self.persona.sign_off:
            text = f"{text}\n\n{self.persona.sign_off}"
        yield TokenEvent(text)
        yield DoneEvent(Reply(text=text, model=model, declined=declined, mode=mode,
                              stance="unclear" if mode == "debate" else None,
                              debate=debate.to_json() if debate else None))

    def _decline_text(self) -> str:
        p = prompts()
        topics = self._suggest_topics() if self._suggest_topics else []
        suggestion = render(p["decline_suggestion"], topics=", ".join(topics[:3])) \
            if topics else ""
        return render(p["decline"], suggestion=suggestion).strip()

    def _avoided(self, message: str) -> bool:
        words = set(tokenize(message))
        return any(set(tokenize(topic)) and set(tokenize(topic)) <= words
                   for topic in self.persona.avoid_topics)

    def _citations(self, grounding: GroundingFilter, order: CitationOrder,
                   prepared: Prepared) -> list[Citation]:
        """Cited posts in the order first cited, numbered 1..n, each with a quote.

        When the model cited nothing, the top sources stand in (numbered after any cited).
        """
        numbers = order.in_order() or [s.n for s in prepared.sources[:3]]
        out = []
        for n in numbers:
            source = prepared.sources[n - 1]
            hit = source.hit
            quote = grounding.quotes.get(n) or best_sentence(source.text, prepared.query)
            out.append(Citation(n=order.shown(n), post_id=hit.post_id, title=hit.title,
                                url=hit.url, source=hit.source, published=hit.published,
                                quote=quote))
        return out


class _Relatedness:
    """Cosine of two texts, each embedded once per request (the motion is compared with
    every later message of the conversation)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, Any] = {}

    def __call__(self, a: str, b: str) -> float:
        missing = [t for t in dict.fromkeys((a, b)) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed(missing), strict=True))
        return float(self._vectors[a] @ self._vectors[b])


def best_sentence(text: str, query: str) -> str:
    """The sentence of a passage sharing the most words with the query (verbatim)."""
    from knowledge.chunking import split_sentences

    wanted = set(tokenize(query))
    sentences = [s for para in text.split("\n\n") for s in split_sentences(para)
                 if len(s.split()) >= 5] or [text.strip()]
    return max(sentences, key=lambda s: (len(wanted & set(tokenize(s))), -abs(len(s) - 160)))


def _points_back(message: str) -> bool:
    """A message that points back ("why is that?") or names almost nothing ("Why?")."""
    return len(tokenize(message)) < 2 or bool(_FOLLOW_UP_RE.search(message[:40]))


def _leans_on_context(message: str) -> bool:
    """Short or pointing-back messages may lean on the conversation for their meaning."""
    return len(message.split()) <= 6 or _points_back(message)
