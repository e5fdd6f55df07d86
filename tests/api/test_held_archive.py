"""An embedded archive held by a running server: CLI writers are told where to go instead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from api.cli import main
from knowledge.locks import claim_for_server, serve_lock


def test_cli_ingest_into_a_served_embedded_archive_is_refused_naming_the_server(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: A note\n---\n\nA short note on harbours.\n")
    held = claim_for_server(data_dir, "http://127.0.0.1:8123")
    try:
        for argv in (["ingest", str(post)], ["remove", "some-post"]):
            code = main(["--data-dir", str(data_dir), *argv])
            err = capsys.readouterr().err
            assert code == 2, err
            assert f"pid {os.getpid()}" in err and "http://127.0.0.1:8123" in err
            assert "/v1/posts" in err and "Traceback" not in err
        assert not (data_dir / "chroma").exists(), "the refused command opened the archive"
    finally:
        held.release()
    assert serve_lock(data_dir).holder() is None


def test_a_second_server_on_one_embedded_archive_is_refused(tmp_path: Path) -> None:
    from knowledge.locks import ArchiveHeld

    first = claim_for_server(tmp_path, "http://127.0.0.1:8001")
    try:
        with pytest.raises(ArchiveHeld, match="8001"):
            claim_for_server(tmp_path, "http://127.0.0.1:8002")
    finally:
        first.release()
