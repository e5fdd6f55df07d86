"""The extractive responder as a chat backend the model runner can stream like any other."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.embedding import Embedder
from persona.extractive import compose, opening
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
    side: str | None = None


class ExtractiveBackend:
    """Streams a reply made of the author's own retrieved sentences (no language model)."""

    def __init__(self, embedder: Embedder, request: RequestContext | None = None) -> None:
        self._embedder = embedder
        self._request = request
        self.stance: str | None = None

    def bind_request(self, request: RequestContext) -> ExtractiveBackend:
        """A copy that answers this one request."""
        return ExtractiveBackend(self._embedder, request)

    async def astream(self, input: Any, /) -> AsyncIterator[str]:
        """Yield the composed reply in word-sized pieces, like a streaming model."""
        if self._request is None:
            raise RuntimeError("the extractive backend answers only a bound request")
        r = self._request
        # The opening line goes out before the sentences are chosen (which embeds them and
        # takes a moment), so the first token is immediate, as from a streaming model.
        first = opening(r.mode, r.query)
        yield first
        reply = await asyncio.to_thread(compose, r.mode, r.query, r.sources, r.persona,
                                        self._embedder, r.side)
        self.stance = reply.stance
        for piece in re.findall(r"\s*\S+", reply.text[len(first):]):
            yield piece


def extractive_builder(embedder: Embedder) -> Any:
    """A registry builder for `extractive` that shares one embedder."""

    def build(spec: ModelSpec, ctx: BuildContext) -> ChatBackend:
        return ExtractiveBackend(embedder)

    return build
