"""Projected ingest time on other machines, from rates measured on this one.

Assumptions (printed with every projection):
  - the model runs scale linearly with cores (one single-threaded onnxruntime run per core;
    true until memory bandwidth saturates, which for a 23 MB int8 model that fits in cache
    is well beyond 16 cores); tokenising stays one thread, at the rate measured here;
  - everything but encoding (chunking, Chroma and BM25 writes) stays one thread, at the
    rate measured here with a free encoder on a small index; ingest overlaps it with
    encoding, so the slower of the two sets the time;
  - GPU: sentence-transformers' published speed for all-MiniLM-L6-v2 on a V100 is 14,200
    sentences/s (sbert.net pretrained-models table, "Encoding speed (sentences / sec) on a
    V100 GPU"); our chunks are longer than its sentences, so the rate is scaled by
    SBERT_SENTENCE_WORDS / mean chunk words. Projected, not measured: no GPU was here.
"""

from __future__ import annotations

from typing import Any

GPU_SENTENCES_PER_S = 14_200.0  # sbert.net pretrained models table, V100, all-MiniLM-L6-v2
GPU_SOURCE = ("https://sbert.net/docs/sentence_transformer/pretrained_models.html "
              "(speed column: sentences/s on a V100)")
# Our assumption for the length of the sentences behind that figure (not published).
SBERT_SENTENCE_WORDS = 20.0


def project_ingest(chunks: int, measured_s: float, cores: int, raw_rate: float,
                   writer_rate: float, mean_chunk_words: float,
                   tokenizer_rate: float | None = None,
                   targets: tuple[int, ...] = (2, 16)) -> list[dict[str, Any]]:
    """Projected ingest seconds for `chunks` on each core count in targets and on one GPU.

    raw_rate is the encoder's chunks/s measured here on `cores` cores. The encoder tokenises a
    batch in one thread, then runs the model on every core, in turn, so
    1/raw_rate = 1/tokenizer_rate + 1/(model rate per core x cores): only the model part
    scales with cores (tokenizer_rate None: tokenising counted as part of the model).
    """
    tokenize = 1.0 / tokenizer_rate if tokenizer_rate else 0.0
    per_core = 1.0 / max((1.0 / raw_rate - tokenize) * cores, 1e-12)
    write_s = chunks / writer_rate
    out: list[dict[str, Any]] = []
    for n in targets:
        encode_s = chunks * (tokenize + 1.0 / (per_core * n))
        out.append({
            "machine": f"{n} cores", "kind": "projected", "seconds": max(encode_s, write_s),
            "encode_s": encode_s, "write_s": write_s, "model_per_core": per_core,
            "basis": f"max(encode = tokenise {_rate(tokenizer_rate)} chunks/s in one thread "
                     f"+ model {per_core:.1f} chunks/s/core x {n}, writer {writer_rate:.0f} "
                     f"chunks/s)"})
        if n == cores:
            out[-1]["measured_s"] = measured_s
    gpu_rate = GPU_SENTENCES_PER_S * SBERT_SENTENCE_WORDS / max(mean_chunk_words, 1.0)
    encode_s = chunks * (tokenize + 1.0 / gpu_rate)
    out.append({
        "machine": "1 GPU (V100-class)", "kind": "projected, not measured",
        "seconds": max(encode_s, write_s), "encode_s": encode_s, "write_s": write_s,
        "basis": f"max(encode = tokenise {_rate(tokenizer_rate)} chunks/s + GPU "
                 f"{gpu_rate:.0f} chunks/s = {GPU_SENTENCES_PER_S:.0f} sentences/s x "
                 f"{SBERT_SENTENCE_WORDS:.0f}/{mean_chunk_words:.0f} words, writer "
                 f"{writer_rate:.0f} chunks/s); source {GPU_SOURCE}"})
    return out


def _rate(rate: float | None) -> str:
    return f"{rate:.0f}" if rate else "(in the model rate)"
