"""The OpenAI chat-completions wire format over the avatar, citations kept in the reply."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import ConfigDict, Field

from api.public_source import cleaned, public_source
from api.sse import aclose_quietly, sse_frame
from api.text_input import UnicodeInput
from api.usage import usage
from persona.messages import Turn
from persona.replies import Citation, DoneEvent, ErrorEvent, Event, Reply, TokenEvent

log = logging.getLogger(__name__)

# Names an OpenAI client may send to mean "whatever the operator set as default".
DEFAULT_ALIASES = frozenset({"", "avatar", "default"})


class CompatMessage(UnicodeInput):
    """One OpenAI chat message; content as a string or a list of text parts."""

    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text, parts joined."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class CompletionRequest(UnicodeInput):
    """The parts of an OpenAI chat-completions request the avatar uses (others ignored)."""

    model_config = ConfigDict(extra="allow")

    model: str | None = Field(None, description='an allowed model, or "avatar" for the default')
    messages: list[CompatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    mode: Literal["ask", "debate"] = Field("ask", description="extension: ask or debate")


class CompatError(ValueError):
    """A request the avatar cannot answer as given (an OpenAI `invalid_request_error`)."""


def requested_model(name: str | None) -> str | None:
    """The model to resolve: None (the default) for a missing name or an alias."""
    return None if name is None or name.strip().lower() in DEFAULT_ALIASES else name.strip()


def prompt_text(messages: list[CompatMessage]) -> str:
    """Every message's text, for counting the prompt's tokens."""
    return "\n".join(m.text() for m in messages)


def split_messages(messages: list[CompatMessage]) -> tuple[str, list[Turn]]:
    """The last user message is the question; earlier user/assistant turns the history."""
    turns = [Turn(m.role, m.text()) for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user" or not turns[-1].content.strip():
        raise CompatError("the last message must be a non-empty user message")
    # The persona supplies the system prompt; a caller's system messages are not obeyed.
    return turns[-1].content, turns[:-1]


def sources_text(citations: list[Citation]) -> str:
    """The citations as a plain-text list appended to the reply: `[n] Title (date) url`."""
    if not citations:
        return ""
    lines = []
    for c in citations:
        when = c.published.isoformat() if c.published else "undated"
        lines.append(f"[{c.n}] {c.title} ({when}) {public_source(c.source, c.url)}".rstrip())
    return "\n\nSources:\n" + "\n".join(lines)


def completion(reply: Reply, prompt: str = "") -> dict[str, Any]:
    """A whole `chat.completion` object, with the sources in the text and as `citations`."""
    message = {"role": "assistant", "content": reply.text + sources_text(reply.citations)}
    return {**_envelope("chat.completion", reply.model),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": usage(prompt, message["content"]),
            "citations": [cleaned(c.to_json()) for c in reply.citations]}


def error_body(message: str, kind: str = "invalid_request_error",
               param: str | None = None) -> dict[str, Any]:
    """OpenAI's error document (its clients raise with this message)."""
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


async def completion_chunks(events: AsyncIterator[Event], model: str,
                            prompt: str = "") -> AsyncIterator[bytes]:
    """`chat.completion.chunk` frames ending `data: [DONE]`; an error frame if the reply fails."""
    head = _envelope("chat.completion.chunk", model)

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return sse_frame({**head, "choices": [choice], **extra})

    yield chunk({"role": "assistant", "content": ""})
    try:
        async for event in events:
            if isinstance(event, TokenEvent):
                yield chunk({"content": event.text})
            elif isinstance(event, DoneEvent):
                reply = event.reply
                head["model"] = reply.model
                sources = sources_text(reply.citations)
                if sources:
                    yield chunk({"content": sources})
                yield chunk({}, "stop", citations=[cleaned(c.to_json()) for c in reply.citations],
                            usage=usage(prompt, reply.text + sources))
                yield sse_frame("[DONE]")
                return
            elif isinstance(event, ErrorEvent):
                yield sse_frame(error_body(event.message, "server_error"))
                return
    except Exception:
        log.exception("a streamed completion failed")
        yield sse_frame(error_body("the reply failed; please try again", "server_error"))
    finally:
        await aclose_quietly(events)


def _envelope(kind: str, model: str) -> dict[str, Any]:
    return {"id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": kind,
            "created": int(time.time()), "model": model}
