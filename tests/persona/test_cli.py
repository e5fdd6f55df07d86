"""`avatar ask|debate --json` over the ingested sample blog (debate in a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from knowledge.archive import Archive
from tests.persona.helpers import verbatim_in
from tests.support.sample import ROOT

REPLY_KEYS = {"text", "model", "declined", "citations"}
CITATION_KEYS = {"n", "post_id", "title", "url", "source", "published", "quote"}
PROVIDER_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "ANTHROPIC_API_KEY",
                 "XAI_API_KEY", "MISTRAL_API_KEY", "AZURE_OPENAI_API_KEY",
                 "AZURE_OPENAI_ENDPOINT", "OLLAMA_BASE_URL")


def cli_env(data_dir: Path) -> dict[str, str]:
    """A child environment: this data dir, extractive only, nothing leaking in from outside."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AVATAR_") and k not in PROVIDER_VARS}
    env.update(AVATAR_DATA_DIR=str(data_dir), AVATAR_DEFAULT_MODEL="extractive",
               AVATAR_MODELS="extractive", AVATAR_FALLBACK_MODELS="extractive",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return env


def check_citations(citations: list[dict[str, Any]], archive: Archive) -> None:
    assert citations, "no citations"
    known = {p.post_id for p in archive.posts()}
    for c in citations:
        assert set(c) == CITATION_KEYS, c
        assert isinstance(c["n"], int) and c["n"] >= 1
        assert c["post_id"] in known
        assert c["title"] and c["url"].startswith("https://ada-lindqvist.example/")
        assert c["source"].endswith(".md") and Path(c["source"]).name.startswith(
            c["published"])
        date.fromisoformat(c["published"])
        assert verbatim_in(archive.post_text(c["post_id"]), c["quote"]), c["quote"]


@pytest.mark.timeout(120)
def test_debate_json_in_a_subprocess(data_dir: Path, archive: Archive, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "debate", "Cities should introduce congestion charging",
         "--json"],
        cwd=tmp_path, env=cli_env(data_dir), capture_output=True, text=True, timeout=110,
    )
    assert proc.returncode == 0, f"avatar debate exited {proc.returncode}:\n{proc.stderr}"
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"avatar debate --json printed more than one line:\n{proc.stdout}"
    debate = json.loads(lines[0])

    assert set(debate) == REPLY_KEYS | {"stance", "debate"}, debate
    assert debate["stance"] == "for"
    assert debate["debate"]["motion"] == "Cities should introduce congestion charging"
    assert debate["model"] == "extractive"
    assert debate["declined"] is False
    assert debate["text"].rstrip().endswith("Regards, Ada")
    check_citations(debate["citations"], archive)


def test_ask_json(data_dir: Path, archive: Archive, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The same command line in this process (a second subprocess would cost ~15 s)."""
    for name in [*os.environ]:
        if name.startswith("AVATAR_") or name in PROVIDER_VARS:
            monkeypatch.delenv(name)
    for name, value in cli_env(data_dir).items():
        if name.startswith("AVATAR_"):
            monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no .env file here
    code = main(["ask", "Should companies pay for the open-source software they depend on?",
                 "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    ask = json.loads(lines[0])

    assert set(ask) == REPLY_KEYS, ask  # no "stance" outside debates
    assert ask["model"] == "extractive"
    assert ask["declined"] is False
    assert ask["text"].rstrip().endswith("Regards, Ada")
    check_citations(ask["citations"], archive)
    assert "Who Pays for the Plumbing?" in {c["title"] for c in ask["citations"]}
