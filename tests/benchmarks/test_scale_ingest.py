"""`benchmarks.ingest --scale` end to end on a tiny archive: real ingest, real search, one JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.embedding import ONNX_FILE, export_int8_model, packaged_model_path
from tests.benchmarks.test_synthetic_archive import SENTENCES
from tests.knowledge.conftest import child_env
from tests.support.sample import ROOT

pytestmark = pytest.mark.slow  # ~1,200 chunks really encoded, plus a serving process


def _essays(folder: Path) -> Path:
    """A few essay files in the evaluation set's layout, written from our own sentences."""
    folder.mkdir()
    for n in range(4):
        body = "\n\n".join(" ".join(SENTENCES[i : i + 4]) for i in range(n, len(SENTENCES), 4))
        (folder / f"e{n}.txt").write_text(f"Written by Nobody\n\nEssay {n}\n\nMay 2020\n\n{body}\n")
    return folder


def test_a_small_scale_run_reports_every_figure(tmp_path: Path, onnx_dir: Path) -> None:
    data = tmp_path / "scale-200"
    (data / "models").mkdir(parents=True)
    export = export_int8_model(packaged_model_path(), onnx_dir)  # cached across runs
    shutil.copy(export, data / "models" / ONNX_FILE)  # so the run does not export again
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.ingest", str(_essays(tmp_path / "essays")),
         "--scale", "--scale-posts", "200", "--data-dir", str(data), "--rate-chunks", "64",
         "--json"],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)["scale"]  # stdout is the one JSON object

    assert figures["shape"]["posts"] == 200 and figures["shape"]["cross_posts"] == 20
    ingest = figures["ingest"]
    # Every post is in: new, or one more URL of a near-duplicate (each cross-post, and
    # recombinations of this small sentence pool that came out alike).
    assert ingest["added"] + ingest["grouped"] == 200 and ingest["grouped"] >= 20
    assert ingest["chunks"] > 200
    assert ingest["chunks_per_s_per_core"] == pytest.approx(
        ingest["chunks"] / ingest["seconds"] / figures["cores"])
    rates = {r["device"]: r for r in figures["encode_rates"]}
    assert set(rates) == {"cpu", "cuda"} and rates["cpu"]["found"]
    assert rates["cpu"]["chunks_per_s"] > 0 and figures["tokenizer_chunks_per_s"] > 0
    assert rates["cuda"]["found"] or rates["cuda"]["why"]  # found, or said why not
    search = figures["search"]
    assert search["chunks"] == ingest["chunks"] and search["queries"] > 0
    assert 0 < search["p50_ms"] <= search["p95_ms"] and search["peak_rss_mb"] > 0
    machines = [p["machine"] for p in figures["projections"]]
    assert machines == ["2 cores", "16 cores", "1 GPU (V100-class)"]
    assert "scale ingest: 200 posts" in done.stderr  # the readable lines went to stderr
