"""The scale figure: ingest a synthetic archive shaped like the real author's, then search it.

Builds n posts (benchmarks/synthetic_archive.py), ingests them through the real Archive
(real Chroma, real encoder), and measures: total ingest time, chunks, chunks/s and chunks/s
per core, the raw encode rate on the same chunk texts, the rate of everything but encoding
(chunking, Chroma and BM25 writes, measured on a subset with a free encoder), search p50/p95
and the RSS of a fresh serving process over the built archive. From the measured per-core
rates it projects the ingest time on other machines (see projections.py: assumptions there).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import search_scale
from benchmarks.device_rates import encode_rates, tokenizer_rate
from benchmarks.projections import project_ingest
from benchmarks.synthetic_archive import (
    CROSS_POST_SHARE,
    load_sentences,
    synthetic_archive,
    word_counts,
)
from knowledge.archive import Archive
from knowledge.chunking import chunk_post, embedding_text
from knowledge.cores import usable_cores
from knowledge.embedding import DIMENSION, Embedder, load_embedder
from knowledge.post import Post

RECORD = "scale-ingest.json"  # the time an interrupted run spent, so that it can resume
WRITER_SAMPLE_POSTS = 1500  # posts ingested with a free encoder to time everything else


class HashEmbedder:
    """A free encoder: a unit vector from each text's hash (times the rest of ingest)."""

    name = "hash"
    dimension = DIMENSION

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One deterministic pseudo-random unit vector per text."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())
            out[row] = np.random.default_rng(seed).standard_normal(self.dimension)
        out /= np.linalg.norm(out, axis=1, keepdims=True).clip(1e-12)
        return out


class TimedEmbedder:
    """Delegates to an embedder and adds up the seconds spent encoding."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dimension = inner.name, inner.dimension
        self.seconds = 0.0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Encode and count the time."""
        t0 = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - t0
            self.texts += len(texts)


def shape_figures(posts: Sequence[Post]) -> dict[str, Any]:
    """What the synthetic archive looks like: sizes and cross-posts."""
    words = word_counts(posts)
    texts = {p.text for p in posts}
    return {"posts": len(posts), "cross_posts": len(posts) - len(texts),
            "cross_post_share_target": CROSS_POST_SHARE,
            "words_median": float(np.median(words)), "words_mean": float(words.mean()),
            "words_p10": float(np.percentile(words, 10)),
            "words_p90": float(np.percentile(words, 90)),
            "share_300_1200_words": float(((words >= 300) & (words <= 1200)).mean())}


def timed_ingest(posts: list[Post], data_dir: Path, embedder: Embedder,
                 progress_every: int = 1000, resume: bool = False) -> dict[str, Any]:
    """Ingest posts into a fresh archive; the wall time, chunks and encode busy time.

    With resume, an interrupted run's archive is continued (ingest skips what is stored) and
    the time recorded so far is added; at most the batch in flight at the interruption is
    stored without its time.
    """
    timed = TimedEmbedder(embedder)
    archive = Archive.open(data_dir, embedder=timed)
    record = data_dir / RECORD
    before = {"seconds": 0.0, "encode_seconds": 0.0, "sessions": 0}
    if archive.store.count():
        if not (resume and record.exists()):
            raise SystemExit(f"{data_dir} already holds chunks: give a fresh --data-dir, or "
                             f"--resume to continue the run recorded in its {RECORD}")
        before = json.loads(record.read_text())
        print(f"  resuming: {archive.store.count()} chunks stored in "
              f"{before['seconds']:.0f} s over {before['sessions']} session(s)", flush=True)
    t0 = time.perf_counter()
    last = [0]

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - t0
        record.write_text(json.dumps({  # every batch: an interruption loses at most one
            "seconds": before["seconds"] + elapsed, "sessions": before["sessions"] + 1,
            "encode_seconds": before["encode_seconds"] + timed.seconds}))
        if done - last[0] >= progress_every or done == total:
            last[0] = done
            print(f"  ingest: {done}/{total} posts, {archive.store.count()} chunks stored, "
                  f"{before['seconds'] + elapsed:.0f} s, {timed.texts / max(elapsed, 1e-9):.1f}"
                  f" chunks/s this session, load {os.getloadavg()[0]:.1f}", flush=True)

    report = archive.ingest(posts, progress)
    seconds = before["seconds"] + time.perf_counter() - t0
    return {"seconds": seconds, "chunks": archive.store.count(), "added": report.added,
            "grouped": report.grouped,
            "resumed_sessions": before["sessions"],
            "encode_seconds": before["encode_seconds"] + timed.seconds,
            "build_peak_rss_mb": search_scale.rss_mb("VmHWM")}


def writer_rate(posts: list[Post], scratch: Path) -> float:
    """Chunks per second of ingest with a free encoder: chunking, Chroma, BM25 only."""
    try:
        got = timed_ingest(posts, scratch, HashEmbedder(), progress_every=10**9)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return got["chunks"] / got["seconds"]


def run(essay_dir: Path, n_posts: int, data_dir: Path | None, embedder_name: str,
        device: str = "auto", rate_chunks: int = 1000, rounds: int = 20,
        resume: bool = False) -> dict[str, Any]:
    """Build, ingest, time and search the synthetic archive; the figures as one dict."""
    fresh = data_dir is None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="avatar-scale-")) / "data"
    figures: dict[str, Any] = {"embedder": embedder_name, "device": device,
                               "cores": usable_cores(), "cpu_count": os.cpu_count()}
    try:
        t0 = time.perf_counter()
        posts = synthetic_archive(load_sentences(essay_dir), n_posts)
        figures["shape"] = shape_figures(posts)
        print(f"scale: {len(posts)} synthetic posts built in {time.perf_counter() - t0:.0f} s "
              f"({figures['shape']})", flush=True)
        t0 = time.perf_counter()
        embedder = load_embedder(embedder_name, data_dir / "models", device)
        figures["model_prepare_s"] = time.perf_counter() - t0
        load_before = os.getloadavg()[0]
        ingest = timed_ingest(posts, data_dir, embedder, resume=resume)
        figures["ingest"] = {**ingest, "chunks_per_s": ingest["chunks"] / ingest["seconds"],
                             "load_before": load_before, "load_after": os.getloadavg()[0]}
        figures["ingest"]["chunks_per_s_per_core"] = (
            figures["ingest"]["chunks_per_s"] / figures["cores"])
        texts = [embedding_text(p.title, c.text) for p in posts[:rate_chunks]
                 for c in chunk_post(p)][:rate_chunks]
        figures["encode_rates"] = encode_rates(embedder_name, data_dir / "models", texts)
        # Projections start from the CPU's rate per core: the one every machine has.
        raw = next(r["chunks_per_s"] for r in figures["encode_rates"] if r["device"] == "cpu")
        figures["raw_encode"] = {"device": "cpu", "chunks_per_s": raw,
                                 "chunks_per_s_per_core": raw / figures["cores"],
                                 "mean_chunk_words": statistics.fmean(
                                     len(t.split()) for t in texts)}
        figures["writer_chunks_per_s"] = writer_rate(
            posts[:WRITER_SAMPLE_POSTS], data_dir.parent / f"{data_dir.name}-writer")
        figures["search"] = search_scale.measure(data_dir, embedder_name, rounds)
        figures["tokenizer_chunks_per_s"] = tokenizer_rate(texts)
        figures["projections"] = project_ingest(
            chunks=ingest["chunks"], measured_s=ingest["seconds"], cores=figures["cores"],
            raw_rate=raw, writer_rate=figures["writer_chunks_per_s"],
            mean_chunk_words=figures["raw_encode"]["mean_chunk_words"],
            tokenizer_rate=figures["tokenizer_chunks_per_s"])
    finally:
        if fresh:
            shutil.rmtree(data_dir.parent, ignore_errors=True)
    print_figures(figures)
    return figures


def print_figures(f: dict[str, Any]) -> None:
    """The figures as a few readable lines."""
    i, s = f["ingest"], f["search"]
    print(f"scale ingest: {f['shape']['posts']} posts ({f['shape']['cross_posts']} cross-posts),"
          f" {i['chunks']} chunks in {i['seconds']:.0f} s = {i['chunks_per_s']:.1f} chunks/s on "
          f"{f['cores']} cores = {i['chunks_per_s_per_core']:.1f} chunks/s per core "
          f"(load {i['load_before']:.1f} before, {i['load_after']:.1f} after; encoder busy "
          f"{i['encode_seconds']:.0f} s)")
    print(f"  raw encode {f['raw_encode']['chunks_per_s']:.1f} chunks/s (tokenising alone "
          f"{f['tokenizer_chunks_per_s']:.0f}/s); everything but encoding "
          f"{f['writer_chunks_per_s']:.0f} chunks/s")
    print(f"  search over {s['chunks']} chunks: p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} "
          f"ms; serving peak RSS {s['peak_rss_mb']:.0f} MB")
    for p in f["projections"]:
        print(f"  projected ({p['kind']}) {p['machine']}: {p['seconds'] / 60:.1f} min "
              f"- {p['basis']}")
