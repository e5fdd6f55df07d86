"""Projected ingest time on other machines, from rates measured on this one.

Assumptions (printed with every projection):
  - the encoder scales linearly with cores (one single-threaded onnxruntime run per core;
    true until memory bandwidth saturates, which for a 23 MB int8 model that fits in cache
    is well beyond 16 cores);
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


def project_ingest(chunks: int, measured_s: float, cores: int, encode_per_core: float,
                   writer_rate: float, mean_chunk_words: float,
                   targets: tuple[int, ...] = (2, 16)) -> list[dict[str, Any]]:
    """Projected ingest seconds for `chunks` on each core count in targets and on one GPU."""
    out: list[dict[str, Any]] = []
    for n in targets:
        encode_s = chunks / (encode_per_core * n)
        write_s = chunks / writer_rate
        out.append({
            "machine": f"{n} cores", "kind": "projected", "seconds": max(encode_s, write_s),
            "encode_s": encode_s, "write_s": write_s,
            "basis": f"max(encode {encode_per_core:.1f} chunks/s/core x {n}, "
                     f"writer {writer_rate:.0f} chunks/s)"})
        if n == cores:
            out[-1]["measured_s"] = measured_s
    gpu_rate = GPU_SENTENCES_PER_S * SBERT_SENTENCE_WORDS / max(mean_chunk_words, 1.0)
    encode_s = chunks / gpu_rate
    write_s = chunks / writer_rate
    out.append({
        "machine": "1 GPU (V100-class)", "kind": "projected, not measured",
        "seconds": max(encode_s, write_s), "encode_s": encode_s, "write_s": write_s,
        "basis": f"max(GPU encode {gpu_rate:.0f} chunks/s = {GPU_SENTENCES_PER_S:.0f} "
                 f"sentences/s x {SBERT_SENTENCE_WORDS:.0f}/{mean_chunk_words:.0f} words, "
                 f"writer {writer_rate:.0f} chunks/s); source {GPU_SOURCE}"})
    return out
