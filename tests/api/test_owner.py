"""An archive knows its author: claimed at first ingest, a mismatch is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import services
from api.app import create_app
from api.cli import main
from api.settings import Settings
from knowledge.archive import Archive
from persona.persona import demo_persona_path

REAL = Path(__file__).resolve().parents[2] / "persona" / "personas" / "hemen_parekh.toml"


def _settings(data_dir: Path, persona: Path | None) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, persona=persona)


def test_the_first_writer_claims_the_archive_and_others_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    real = services.persona_of(_settings(data, REAL), claim=True)
    assert services.persona_of(_settings(data, REAL)).name == real.name
    with pytest.raises(ValueError) as caught:
        services.persona_of(_settings(data, None))  # the demo author, by a missing setting
    message = str(caught.value)
    assert real.name in message and "AVATAR_PERSONA" in message and "avatar own" in message


def test_serving_someone_elses_archive_fails_at_startup(tmp_path: Path, archive: Archive,
                                                       ) -> None:
    data = tmp_path / "data"
    services.persona_of(_settings(data, REAL), claim=True)
    app = create_app(_settings(data, demo_persona_path()), archive=archive)
    with pytest.raises(ValueError, match="AVATAR_PERSONA"), TestClient(app):
        pass


def test_own_hands_the_archive_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    services.persona_of(_settings(data, REAL), claim=True)
    assert main(["--data-dir", str(data), "--persona", str(demo_persona_path()), "own"]) == 0
    assert "Ada Lindqvist" in capsys.readouterr().out
    assert services.persona_of(_settings(data, None)).name == "Ada Lindqvist"
