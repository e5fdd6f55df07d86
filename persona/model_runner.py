"""Stream a reply from the chosen model, falling over to the next one when it fails early.

A model that errs or stays silent past the first-token timeout is skipped for the next in
the fallback order, as long as nothing has reached the reader yet. Once text has been
streamed, a failure is reported as a `StreamError` event instead: retrying elsewhere would
show the reader two different beginnings of one answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from langchain_core.messages import BaseMessage

from persona.model_types import ChatBackend

log = logging.getLogger(__name__)

Failure = tuple[str, str]
"""(model name, reason) for one model that did not answer."""


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of the reply's text, in order."""

    text: str


@dataclass(frozen=True, slots=True)
class Done:
    """The reply is complete; `model` answered it after the models in `failed` did not."""

    model: str
    text: str
    failed: tuple[Failure, ...] = ()


@dataclass(frozen=True, slots=True)
class StreamError:
    """The model failed after part of the reply (`text`) was already streamed."""

    model: str
    reason: str
    text: str
    failed: tuple[Failure, ...] = ()


@dataclass(frozen=True, slots=True)
class BackendFailed:
    """Every model in the fallback order failed before its first token."""

    errors: tuple[Failure, ...]


StreamEvent = Token | Done | StreamError | BackendFailed


class AllBackendsFailed(RuntimeError):
    """Raised by `complete` when no model in the fallback order produced a reply."""

    def __init__(self, errors: Sequence[Failure]) -> None:
        self.errors = tuple(errors)
        detail = "; ".join(f"{model}: {reason}" for model, reason in self.errors)
        super().__init__(f"no model answered ({detail or 'none tried'})")


class BackendSource(Protocol):
    """Where the runner gets its models from (the `ModelRegistry`)."""

    def chain(self, name: str | None = None) -> list[str]:
        """The chosen model, then the fallbacks, without duplicates."""
        ...

    def build(self, name: str) -> ChatBackend:
        """The backend for one model of the chain."""
        ...


class _Timeout(Exception):
    """The runner's own deadline passed (not a timeout raised by a client library)."""


def chunk_text(chunk: Any) -> str:
    """The text in one streamed chunk: a string, or a LangChain message chunk."""
    if isinstance(chunk, str):
        return chunk
    text = getattr(chunk, "text", None)
    if isinstance(text, str):  # BaseMessage.text flattens list-of-blocks content
        return str(text)
    content = getattr(chunk, "content", None)
    return content if isinstance(content, str) else ""


def _reason(exc: BaseException) -> str:
    message = str(exc) or type(exc).__name__
    if not isinstance(exc, _Timeout):
        message = f"{type(exc).__name__}: {message}"
    return message if len(message) <= 300 else message[:297] + "..."


class ModelRunner:
    """Streams replies with a first-token and a total timeout, per model attempt."""

    def __init__(
        self,
        models: BackendSource,
        *,
        first_token_timeout: float = 20.0,
        total_timeout: float = 120.0,
    ) -> None:
        self.models = models
        self.first_token_timeout = first_token_timeout
        self.total_timeout = total_timeout

    def stream(
        self,
        messages: Sequence[BaseMessage],
        model: str | None = None,
        *,
        first_token_timeout: float | None = None,
        total_timeout: float | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream events: `Token`s, then `Done` (or `StreamError`); `BackendFailed` if none answer.

        The model name is checked here, before iteration starts, so an unknown or
        disallowed one raises `ModelNotAllowed` at call time (an HTTP 400, not a broken stream).
        """
        names = self.models.chain(model)
        limits = self._limits(first_token_timeout, total_timeout)
        return self._stream(names, list(messages), *limits)

    async def complete(
        self,
        messages: Sequence[BaseMessage],
        model: str | None = None,
        *,
        first_token_timeout: float | None = None,
        total_timeout: float | None = None,
    ) -> tuple[str, str]:
        """Return `(text, model_used)`; raise `AllBackendsFailed` when no model answers.

        Nothing is shown before the reply is whole, so unlike `stream` a model failing
        half-way is simply replaced by the next one.
        """
        names = self.models.chain(model)
        limits = self._limits(first_token_timeout, total_timeout)
        failed: list[Failure] = []
        for name in names:
            try:
                async with contextlib.aclosing(self._pieces(name, list(messages), *limits)) as it:
                    text = "".join([piece async for piece in it])
            except Exception as exc:
                failed.append(self._failed(name, exc))
                continue
            return text, name
        raise AllBackendsFailed(failed)

    def _limits(self, first: float | None, total: float | None) -> tuple[float, float]:
        return (
            self.first_token_timeout if first is None else first,
            self.total_timeout if total is None else total,
        )

    async def _stream(
        self, names: list[str], messages: list[BaseMessage], first: float, total: float
    ) -> AsyncGenerator[StreamEvent, None]:
        failed: list[Failure] = []
        for name in names:
            parts: list[str] = []
            try:
                async with contextlib.aclosing(self._pieces(name, messages, first, total)) as it:
                    async for piece in it:
                        parts.append(piece)
                        yield Token(piece)
            except Exception as exc:
                if parts:
                    yield StreamError(name, _reason(exc), "".join(parts), tuple(failed))
                    return
                failed.append(self._failed(name, exc))
                continue
            yield Done(name, "".join(parts), tuple(failed))
            return
        yield BackendFailed(tuple(failed))

    @staticmethod
    def _failed(name: str, exc: Exception) -> Failure:
        reason = _reason(exc)
        log.warning("model %s did not answer: %s", name, reason)
        return name, reason

    async def _pieces(
        self, name: str, messages: list[BaseMessage], first: float, total: float
    ) -> AsyncGenerator[str, None]:
        """Non-empty text pieces from one model, within the first-token and total deadlines."""
        backend = self.models.build(name)
        stream = aiter(backend.astream(messages))
        # The clock starts after the build: a first build imports the client library, which
        # can take seconds and says nothing about the backend's health.
        start = asyncio.get_running_loop().time()
        end = start + total
        first_deadline = min(start + first, end)
        started = False
        try:
            while True:
                deadline = end if started else first_deadline
                try:
                    # The timeout wraps one await only: a deadline must never span a yield.
                    async with asyncio.timeout_at(deadline) as scope:
                        chunk = await anext(stream)
                except StopAsyncIteration:
                    return
                except TimeoutError as exc:
                    if not scope.expired():
                        raise
                    if deadline == end:
                        raise _Timeout(f"timed out: no complete reply within {total:g}s") from exc
                    raise _Timeout(f"timed out: no first token within {first:g}s") from exc
                text = chunk_text(chunk)
                if text:
                    started = True
                    yield text
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()
