"""`python -m benchmarks.ingest ... --json`: the figures `make bench` parses, as one object."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.embedding import ONNX_FILE, export_int8_model, packaged_model_path
from tests.benchmarks.test_scale_ingest import _essays
from tests.knowledge.conftest import child_env
from tests.support.sample import ROOT

pytestmark = pytest.mark.slow  # the real encoder, in a subprocess


def test_the_ingest_benchmark_prints_one_json_object_of_figures(
        tmp_path: Path, onnx_dir: Path) -> None:
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    shutil.copy(export_int8_model(packaged_model_path(), onnx_dir), data / "models" / ONNX_FILE)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.ingest", str(_essays(tmp_path / "essays")),
         "--scale-chunks", "0", "--no-tutorial", "--data-dir", str(data),
         "--rate-chunks", "8", "--json"],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    ingest = figures["ingest"]
    assert ingest["posts"] == 4 and ingest["chunks"] > 0
    assert ingest["encode_ratio"] == pytest.approx(
        ingest["chunks_per_s"] / ingest["raw_encode_chunks_per_s"])
    assert ingest["reingest_speedup"] > 1
    assert [r["device"] for r in figures["encode_rates"]] == ["cpu", "cuda"]
    assert "encode on cpu:" in done.stderr and "ingest:" in done.stderr
