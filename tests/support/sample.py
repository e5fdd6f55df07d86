"""Where the shared test material is, and the environment every model test starts from."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from knowledge.embedding import ONNX_FILE

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BLOG = ROOT / "knowledge" / "sample_blog"
SAMPLE_POSTS = 33
ONNX_NAME = ONNX_FILE  # the cached export (its name changes with the graph)

# Dead endpoints and wrong keys in os.environ: the model registry must use only the env
# mapping it is given, so a client that still read these would fail the tests.
HOSTILE_ENV = {
    "OPENAI_API_KEY": "wrong-key-from-os-environ",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "OPENAI_API_BASE": "http://127.0.0.1:9/v1",
    "ANTHROPIC_API_KEY": "wrong-key-from-os-environ",
    "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
    "ANTHROPIC_API_URL": "http://127.0.0.1:9",
    "XAI_API_KEY": "wrong-key-from-os-environ",
    "XAI_API_BASE": "http://127.0.0.1:9/v1",
    "MISTRAL_API_KEY": "wrong-key-from-os-environ",
    "MISTRAL_BASE_URL": "http://127.0.0.1:9/v1",
    "AZURE_OPENAI_API_KEY": "wrong-key-from-os-environ",
    "AZURE_OPENAI_ENDPOINT": "http://127.0.0.1:9",
    "OPENAI_API_VERSION": "1999-01-01",
    "OLLAMA_HOST": "http://127.0.0.1:9",
}
SILENT = ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")


def make_hostile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the usual provider variables at a dead port and switch tracing off."""
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)
    for name in SILENT:
        monkeypatch.delenv(name, raising=False)


def drop_avatar_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AVATAR_* settings leaking in from the shell."""
    for name in [k for k in os.environ if k.startswith("AVATAR_")]:
        monkeypatch.delenv(name)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server process, killing it if it will not stop."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
