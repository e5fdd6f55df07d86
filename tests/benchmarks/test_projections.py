"""Projections: model runs scaled by cores, tokenising one thread, writer bound, GPU labelled."""

from __future__ import annotations

import pytest

from benchmarks.projections import GPU_SENTENCES_PER_S, SBERT_SENTENCE_WORDS, project_ingest


def _project(writer_rate: float, tokenizer_rate: float | None = None) -> dict[str, dict]:
    got = project_ingest(chunks=200_000, measured_s=4000.0, cores=2, raw_rate=50.0,
                         writer_rate=writer_rate, mean_chunk_words=140.0,
                         tokenizer_rate=tokenizer_rate)
    return {p["machine"]: p for p in got}


def test_the_encoder_scales_with_cores_until_the_writer_bounds_it() -> None:
    got = _project(writer_rate=500.0)
    assert got["2 cores"]["seconds"] == pytest.approx(200_000 / 50)
    assert got["2 cores"]["measured_s"] == 4000.0  # the projection sits beside the measure
    # 16 cores encode 400 chunks/s; the writer, at 500, is not yet the bound.
    assert got["16 cores"]["seconds"] == pytest.approx(200_000 / 400)
    slow_writer = _project(writer_rate=100.0)
    assert slow_writer["16 cores"]["seconds"] == pytest.approx(200_000 / 100)


def test_tokenising_does_not_scale_with_cores() -> None:
    # 1/50 = 1/200 (tokenise) + 1/(model per core x 2): the model does 33.3 chunks/s/core.
    got = _project(writer_rate=10**9, tokenizer_rate=200.0)
    assert got["2 cores"]["seconds"] == pytest.approx(200_000 / 50)
    assert got["16 cores"]["model_per_core"] == pytest.approx(100 / 3)
    per_chunk = 1 / 200 + 1 / (100 / 3 * 16)
    assert got["16 cores"]["seconds"] == pytest.approx(200_000 * per_chunk)
    assert got["16 cores"]["seconds"] > _project(writer_rate=10**9)["16 cores"]["seconds"]


def test_the_gpu_figure_is_the_published_rate_scaled_to_chunk_length_and_labelled() -> None:
    gpu = _project(writer_rate=10**9)["1 GPU (V100-class)"]
    rate = GPU_SENTENCES_PER_S * SBERT_SENTENCE_WORDS / 140.0
    assert gpu["seconds"] == pytest.approx(200_000 / rate)
    assert gpu["kind"] == "projected, not measured"
    assert "sbert.net" in gpu["basis"] and "measured_s" not in gpu
