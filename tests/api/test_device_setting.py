"""AVATAR_DEVICE: one setting, checked when read, passed down to the archive's encoder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api import services
from api.cli import main
from api.settings import Settings
from knowledge import devices
from knowledge.embedding import LazyEmbedder


def test_the_device_setting_is_auto_by_default_and_read_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).device == "auto"
    monkeypatch.setenv("AVATAR_DEVICE", "CUDA")
    assert Settings(_env_file=None).device == "cuda"
    monkeypatch.setenv("AVATAR_DEVICE", "gpu")
    with pytest.raises(ValidationError, match="unknown device 'gpu'"):
        Settings(_env_file=None)


def test_the_archive_encodes_on_the_configured_device(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", device="cpu")
    embedder = services.open_archive(settings).embedder
    assert isinstance(embedder, LazyEmbedder) and not embedder.loaded
    assert embedder.device == "cpu"


def test_cuda_configured_on_a_machine_without_it_is_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(devices, "onnx_providers", lambda: ["CPUExecutionProvider"])
    monkeypatch.setenv("AVATAR_DEVICE", "cuda")
    assert main(["--data-dir", str(tmp_path / "data"), "posts", "--count"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("avatar: device 'cuda' was asked for") and "Traceback" not in err
