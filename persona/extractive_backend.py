"""The extractive responder as a chat backend the model runner can stream like any other."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.embedding import Embedder
from persona.answer_plan import plan_answer
from persona.debate_plan import DebatePlan
from persona.extractive import write_answer, write_argument, write_reflection
from persona.grounding import Source
from persona.model_types import BuildContext, ChatBackend, ModelSpec
from persona.persona import Persona


@dataclass(frozen=True)
class RequestContext:
    """What a request-bound backend needs beyond the chat messages."""

    mode: str
    query: str
    sources: Sequence[Source]
    persona: Persona
    plan: DebatePlan | None = None   # debates: planned by the avatar for every backend
    closest_only: bool = False       # ask: the posts may not answer it directly; say so


class ExtractiveBackend:
    """Streams a reply made of the author's own retrieved sentences (no language model)."""

    def __init__(self, embedder: Embedder, request: RequestContext | None = None) -> None:
        self._embedder = embedder
        self._request = request

    def bind_request(self, request: RequestContext) -> ExtractiveBackend:
        """A copy that answers this one request."""
        return ExtractiveBackend(self._embedder, request)

    async def astream(self, input: Any, /) -> AsyncIterator[str]:
        """Yield the composed reply in word-sized pieces, like a streaming model."""
        if self._request is None:
            raise RuntimeError("the extractive backend answers only a bound request")
        text = await asyncio.to_thread(self.compose, self._request)
        for piece in re.findall(r"\s*\S+", text):
            yield piece

    def compose(self, r: RequestContext) -> str:
        """The whole reply for one request."""
        if r.mode == "debate" and r.plan is not None:
            return write_argument(r.plan, r.sources, r.persona)
        plan = plan_answer(r.query, r.sources, self._embedder, proposals=r.mode == "reflect",
                           author=r.persona.name)
        if r.mode == "reflect":
            return write_reflection(r.query, plan, r.sources, r.persona)
        return write_answer(plan, r.sources, r.persona, closest_only=r.closest_only)


def extractive_builder(embedder: Embedder) -> Any:
    """A registry builder for `extractive` that shares one embedder."""

    def build(spec: ModelSpec, ctx: BuildContext) -> ChatBackend:
        return ExtractiveBackend(embedder)

    return build
