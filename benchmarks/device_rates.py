"""The raw encode rate of an embedder on every device of the table that this machine has."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from knowledge.devices import DEVICES, PROBES, WHAT_IT_SAW
from knowledge.embedding import EMBEDDERS, Embedder, load_embedder


def raw_encode_rate(embedder: Embedder, texts: Sequence[str]) -> float:
    """Texts per second of the encoder alone (after a short warm-up)."""
    embedder.embed(list(texts[:8]))
    t0 = time.perf_counter()
    embedder.embed(list(texts))
    return len(texts) / (time.perf_counter() - t0)


def tokenizer_rate(texts: Sequence[str]) -> float:
    """Texts per second of the encoder's tokenizer alone, as it runs: one thread, one call."""
    from transformers import AutoTokenizer

    from knowledge.embedding import MAX_TOKENS, packaged_model_path

    tokenizer = AutoTokenizer.from_pretrained(str(packaged_model_path()), local_files_only=True)
    tokenizer(list(texts[:8]), truncation=True, max_length=MAX_TOKENS)
    t0 = time.perf_counter()
    tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS)
    return len(texts) / (time.perf_counter() - t0)


def encode_rates(embedder_name: str, cache_dir: Path, texts: Sequence[str]) -> list[dict[str, Any]]:
    """For each device in the table: found or not (and why), and its chunks/s when found."""
    backend = EMBEDDERS[embedder_name].backend
    out: list[dict[str, Any]] = []
    for device in DEVICES.values():
        if not PROBES[backend](device):
            why = WHAT_IT_SAW[backend](device)
            print(f"encode on {device.name}: not found ({why})")
            out.append({"device": device.name, "found": False, "why": why})
            continue
        rate = raw_encode_rate(load_embedder(embedder_name, cache_dir, device.name), texts)
        print(f"encode on {device.name}: {rate:.1f} chunks/s raw ({embedder_name}, "
              f"{len(texts)} chunks)")
        out.append({"device": device.name, "found": True, "chunks_per_s": rate})
    return out
