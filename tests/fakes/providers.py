"""The four wire formats: OpenAI (also xAI, Mistral, compatible servers), Azure, Anthropic, Ollama.

Frames follow what the real APIs send, so the real LangChain clients parse them unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from tests.fakes.base import Call, FakeModelServer, RecordedRequest, content_text, sse


def _bearer_problem(request: RecordedRequest, key: str | None) -> tuple[int, str] | None:
    if key is not None and request.headers.get("authorization") != f"Bearer {key}":
        return 401, "Incorrect API key provided."
    return None


class OpenAIFake(FakeModelServer):
    """`POST …/chat/completions` with a Bearer key; SSE chunks ending `data: [DONE]`.

    Point clients at `base_url + "/v1"` (the real APIs' base URLs end in `/v1`); any path
    ending in `/chat/completions` is served, so a base URL without `/v1` works too.
    """

    def serves(self, path: str) -> bool:
        """OpenAI, xAI and Mistral all post to `{base}/chat/completions`."""
        return path.endswith("/chat/completions") and "/openai/deployments/" not in path

    def reject(self, request: RecordedRequest) -> tuple[int, str] | None:
        """A missing or wrong Bearer key is a 401."""
        return _bearer_problem(request, self.api_key)

    def error_body(self, status: int, message: str) -> Any:
        """OpenAI's `{"error": {...}}` document."""
        kind = "invalid_request_error" if status < 500 else "server_error"
        return {"error": {"message": message, "type": kind, "param": None, "code": str(status)}}

    def _chunk(self, call: Call, delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return sse(self._envelope(call, "chat.completion.chunk", choices=[choice]))

    def _envelope(self, call: Call, kind: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{call.ident}",
            "object": kind,
            "created": call.created,
            "model": call.model,
            "system_fingerprint": None,
            **fields,
        }

    def _usage(self, call: Call) -> dict[str, int]:
        return {
            "prompt_tokens": call.prompt_tokens,
            "completion_tokens": call.reply_tokens,
            "total_tokens": call.prompt_tokens + call.reply_tokens,
        }

    def complete_body(self, call: Call) -> Any:
        """A `chat.completion` object."""
        message = {"role": "assistant", "content": call.script.reply, "refusal": None}
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
        return self._envelope(call, "chat.completion", choices=[choice], usage=self._usage(call))

    def stream_head(self, call: Call) -> Iterable[bytes]:
        """The first chunk names the role and carries no text."""
        return [self._chunk(call, {"role": "assistant", "content": "", "refusal": None})]

    def stream_piece(self, call: Call, text: str) -> bytes:
        """A content delta."""
        return self._chunk(call, {"content": text})

    def stream_tail(self, call: Call) -> Iterable[bytes]:
        """finish_reason, usage when `stream_options.include_usage` asked for it, `[DONE]`."""
        frames = [self._chunk(call, {}, "stop")]
        options = call.request.json.get("stream_options") or {}
        if options.get("include_usage"):
            frames.append(
                sse(
                    self._envelope(
                        call, "chat.completion.chunk", choices=[], usage=self._usage(call)
                    )
                )
            )
        frames.append(sse("[DONE]"))
        return frames


class AzureOpenAIFake(OpenAIFake):
    """`POST /openai/deployments/{deployment}/chat/completions?api-version=…`, `api-key` header.

    Point clients at `base_url` as the Azure endpoint.
    """

    _path = re.compile(r"^/openai/deployments/(?P<deployment>[^/]+)/chat/completions$")

    def serves(self, path: str) -> bool:
        """Only the deployment-scoped path exists on Azure."""
        return bool(self._path.match(path))

    def reject(self, request: RecordedRequest) -> tuple[int, str] | None:
        """Azure wants `api-version` in the query and the key in an `api-key` header."""
        if "api-version" not in request.query:
            return 404, "Resource not found (no api-version)"
        if self.api_key is not None and request.headers.get("api-key") != self.api_key:
            return 401, "Access denied due to invalid subscription key."
        return None

    @staticmethod
    def deployment(request: RecordedRequest) -> str | None:
        """The deployment named in a request's path."""
        match = AzureOpenAIFake._path.match(request.path)
        return match["deployment"] if match else None


class AnthropicFake(FakeModelServer):
    """`POST /v1/messages` with `anthropic-version` and a key; the Messages event stream.

    The key may come as `x-api-key` (the documented header) or as `Authorization: Bearer`,
    which is what the installed anthropic SDK (2.x) sends.

    Point clients at `base_url` (without `/v1`).
    """

    _error_types: ClassVar[dict[int, str]] = {
        400: "invalid_request_error",
        401: "authentication_error",
        404: "not_found_error",
        429: "rate_limit_error",
        529: "overloaded_error",
    }

    def serves(self, path: str) -> bool:
        """The Messages API."""
        return path == "/v1/messages"

    def reject(self, request: RecordedRequest) -> tuple[int, str] | None:
        """Anthropic insists on `anthropic-version` and a matching key."""
        if "anthropic-version" not in request.headers:
            return 400, "anthropic-version: header is required"
        if self.api_key is None or request.headers.get("x-api-key") == self.api_key:
            return None
        refusal = _bearer_problem(request, self.api_key)
        return None if refusal is None else (401, "invalid x-api-key")

    def dialogue(self, request: RecordedRequest) -> list[tuple[str, str]]:
        """The system prompt travels beside the messages, in `system`."""
        turns = super().dialogue(request)
        system = content_text(request.json.get("system"))
        return [("system", system), *turns] if system else turns

    def error_body(self, status: int, message: str) -> Any:
        """Anthropic's `{"type": "error", "error": {...}}` document."""
        kind = self._error_types.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}

    def _message(self, call: Call, content: list[Any], **fields: Any) -> dict[str, Any]:
        return {
            "id": f"msg_{call.ident}",
            "type": "message",
            "role": "assistant",
            "model": call.model,
            "content": content,
            "stop_reason": None,
            "stop_sequence": None,
            **fields,
        }

    def complete_body(self, call: Call) -> Any:
        """A whole `message` object."""
        usage = {"input_tokens": call.prompt_tokens, "output_tokens": call.reply_tokens}
        text = [{"type": "text", "text": call.script.reply}]
        return {**self._message(call, text, usage=usage), "stop_reason": "end_turn"}

    def stream_head(self, call: Call) -> Iterable[bytes]:
        """message_start, content_block_start and a ping, as the real stream begins."""
        usage = {"input_tokens": call.prompt_tokens, "output_tokens": 1}
        start = {"type": "message_start", "message": self._message(call, [], usage=usage)}
        block = {
            "type": "content_block_start",
            "index": 0,
            "content_block": {"type": "text", "text": ""},
        }
        return [
            sse(start, "message_start"),
            sse(block, "content_block_start"),
            sse({"type": "ping"}, "ping"),
        ]

    def stream_piece(self, call: Call, text: str) -> bytes:
        """A content_block_delta with a text_delta."""
        delta = {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": text},
        }
        return sse(delta, "content_block_delta")

    def stream_tail(self, call: Call) -> Iterable[bytes]:
        """content_block_stop, message_delta (stop reason, usage), message_stop."""
        delta = {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": call.reply_tokens},
        }
        return [
            sse({"type": "content_block_stop", "index": 0}, "content_block_stop"),
            sse(delta, "message_delta"),
            sse({"type": "message_stop"}, "message_stop"),
        ]


class OllamaFake(FakeModelServer):
    """`POST /api/chat`; NDJSON lines, the last with `done: true` and the usual counters.

    Point clients at `base_url`. Ollama takes no key unless `api_key` is given.
    """

    stream_media_type = "application/x-ndjson"
    default_api_key = None

    def serves(self, path: str) -> bool:
        """The chat endpoint."""
        return path == "/api/chat"

    def reject(self, request: RecordedRequest) -> tuple[int, str] | None:
        """Only a hosted Ollama checks a Bearer key."""
        return _bearer_problem(request, self.api_key)

    def wants_stream(self, request: RecordedRequest) -> bool:
        """Ollama streams unless the body says `"stream": false`."""
        return request.json.get("stream", True) is not False

    def error_body(self, status: int, message: str) -> Any:
        """Ollama's `{"error": "..."}`."""
        return {"error": message}

    def _line(self, call: Call, content: str, done: bool, **fields: Any) -> dict[str, Any]:
        stamp = datetime.fromtimestamp(call.created, UTC).isoformat().replace("+00:00", "Z")
        return {
            "model": call.model,
            "created_at": stamp,
            "message": {"role": "assistant", "content": content},
            "done": done,
            **fields,
        }

    def _final(self, call: Call, content: str) -> dict[str, Any]:
        return self._line(
            call,
            content,
            True,
            done_reason="stop",
            total_duration=5_000_000,
            load_duration=1_000_000,
            prompt_eval_count=call.prompt_tokens,
            prompt_eval_duration=1_000_000,
            eval_count=call.reply_tokens,
            eval_duration=3_000_000,
        )

    def complete_body(self, call: Call) -> Any:
        """One object: the whole reply and the counters."""
        return self._final(call, call.script.reply)

    def stream_head(self, call: Call) -> Iterable[bytes]:
        """Ollama starts straight with text."""
        return []

    def stream_piece(self, call: Call, text: str) -> bytes:
        """One NDJSON line with `done: false`."""
        return (json.dumps(self._line(call, text, False)) + "\n").encode()

    def stream_tail(self, call: Call) -> Iterable[bytes]:
        """The final `done: true` line."""
        return [(json.dumps(self._final(call, "")) + "\n").encode()]
