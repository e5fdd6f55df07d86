"""The device table: `auto` takes the best device present, a named absent one is an error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge import devices
from knowledge.archive import Archive
from knowledge.chunking import chunk_post, embedding_text
from knowledge.cores import usable_cores
from knowledge.devices import (
    DEVICE_CHOICES,
    DEVICES,
    DeviceUnavailable,
    check_name,
    resolve_device,
)
from knowledge.embedding import OnnxInt8MiniLM, load_embedder
from knowledge.post import Post

NO_GPU = {"onnx": lambda d: d.name == "cpu", "torch": lambda d: d.name == "cpu"}
WITH_GPU = {"onnx": lambda d: True, "torch": lambda d: True}


def test_the_table_offers_auto_cpu_and_cuda() -> None:
    assert DEVICE_CHOICES == ("auto", "cpu", "cuda")
    assert DEVICES["cpu"].onnx_provider == "CPUExecutionProvider"
    assert DEVICES["cuda"].onnx_provider == "CUDAExecutionProvider"
    assert DEVICES["cuda"].torch_device == "cuda"
    # A CPU runs one encoder per core; a GPU one stream of big batches.
    assert DEVICES["cpu"].run_per_core and not DEVICES["cuda"].run_per_core
    assert DEVICES["cuda"].batch_size > DEVICES["cpu"].batch_size


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_auto_takes_cuda_when_present_and_the_cpu_otherwise(backend: str) -> None:
    assert resolve_device("auto", backend, WITH_GPU).name == "cuda"  # type: ignore[arg-type]
    assert resolve_device("auto", backend, NO_GPU).name == "cpu"  # type: ignore[arg-type]
    assert resolve_device("CPU", backend, WITH_GPU).name == "cpu"  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_cuda_asked_for_without_cuda_is_a_clear_error(backend: str) -> None:
    with pytest.raises(DeviceUnavailable, match="device 'cuda' was asked for") as caught:
        resolve_device("cuda", backend, NO_GPU)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "'auto' or 'cpu'" in message and "install" in message


def test_an_unknown_device_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown device 'gpu'.*'auto', 'cpu', 'cuda'"):
        check_name("gpu")


def test_auto_here_is_a_device_this_onnxruntime_offers() -> None:
    chosen = resolve_device("auto", "onnx")
    assert chosen.onnx_provider in devices.onnx_providers()


def test_cuda_without_a_cuda_provider_fails_before_any_model_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "onnx_providers", lambda: ["CPUExecutionProvider"])
    with pytest.raises(DeviceUnavailable, match="onnxruntime offers only"):
        load_embedder("minilm-int8", tmp_path / "models", "cuda")
    # The archive refuses at open, not at its first query.
    with pytest.raises(DeviceUnavailable):
        Archive.open(tmp_path / "data", embedder="minilm-int8", device="cuda")
    assert not (tmp_path / "models").exists()  # nothing was exported for nothing


def test_a_listed_provider_that_cannot_start_is_an_error_not_a_quiet_cpu(
        onnx_dir: Path) -> None:
    # Here onnxruntime has no CUDA provider: asked for it anyway, the session starts on the
    # CPU, and the encoder must say so rather than encode on the CPU under a GPU's name.
    if "CUDAExecutionProvider" in devices.onnx_providers():
        pytest.skip("this machine's onnxruntime can start CUDA")
    with pytest.raises(DeviceUnavailable, match="could not start CUDAExecutionProvider"):
        OnnxInt8MiniLM(onnx_dir, device=DEVICES["cuda"])


def test_auto_falls_back_to_the_cpu_when_the_gpu_provider_cannot_start(
        onnx_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    if "CUDAExecutionProvider" in devices.onnx_providers():
        pytest.skip("this machine's onnxruntime can start CUDA")
    # onnxruntime-gpu installed without a usable driver: listed, but it cannot start.
    monkeypatch.setattr(devices, "onnx_providers",
                        lambda: ["CUDAExecutionProvider", "CPUExecutionProvider"])
    embedder = load_embedder("minilm-int8", onnx_dir, "auto")
    assert isinstance(embedder, OnnxInt8MiniLM) and embedder.device == "cpu"
    assert "encoding on the CPU" in caplog.text


def test_cpu_and_auto_give_the_same_vectors(onnx_dir: Path, sample_posts: list[Post]) -> None:
    texts = [embedding_text(p.title, c.text) for p in sample_posts[:6] for c in chunk_post(p)]
    on_cpu = load_embedder("minilm-int8", onnx_dir, "cpu").embed(texts)
    on_auto = load_embedder("minilm-int8", onnx_dir, "auto").embed(texts)
    cosine = (on_cpu * on_auto).sum(axis=1)
    assert on_cpu.shape == on_auto.shape == (len(texts), 384)
    assert float(cosine.min()) >= 0.999, f"worst cosine {cosine.min():.5f}"
    assert np.allclose(on_cpu, on_auto, atol=1e-3)


def test_the_cpu_encoder_runs_once_per_usable_core(onnx_dir: Path) -> None:
    embedder = load_embedder("minilm-int8", onnx_dir, "cpu")
    assert isinstance(embedder, OnnxInt8MiniLM)
    assert embedder.workers == usable_cores()
