"""The archive commands of `avatar`, run as real subprocesses (each loads the model: keep few)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from knowledge.post import Post
from tests.knowledge.conftest import RARE_WORDS, VENV_BIN, child_env, seed_models
from tests.knowledge.cross_posts import BODY
from tests.support.blogger_feeds import entry, serve_feed
from tests.support.sample import SAMPLE_BLOG, SAMPLE_POSTS
from tests.support.static_server import StaticServer

INGEST_KEYS = {"added", "updated", "unchanged", "removed", "grouped", "failed"}
SEARCH_KEYS = {"post_id", "title", "url", "urls", "source", "published", "score", "snippet"}


def avatar(*args: str, data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `avatar ARGS` with AVATAR_DATA_DIR set, from a folder without a .env file."""
    return subprocess.run(
        [str(VENV_BIN / "avatar"), *args], capture_output=True, text=True, timeout=240,
        cwd=cwd, env=child_env(AVATAR_DATA_DIR=str(data_dir)),
    )


@pytest.fixture
def workdir(tmp_path: Path, model_dir: Path) -> Path:
    """A working folder with a data dir that already holds the exported model."""
    seed_models(tmp_path / "data", model_dir)
    return tmp_path


def test_ingest_exits_1_when_every_source_fails(workdir: Path) -> None:
    missing = str(workdir / "no-such-folder")
    run = avatar("ingest", missing, "--json", data_dir=workdir / "data", cwd=workdir)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert set(report) == INGEST_KEYS
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 0)
    assert len(report["failed"]) == 1
    assert report["failed"][0]["source"] == missing
    assert report["failed"][0]["error"]


def test_ingest_posts_search_remove(workdir: Path, sample_posts: list[Post],
                                    by_title: dict[str, Post]) -> None:
    data = workdir / "data"
    bad = str(workdir / "not-there.xml")

    run = avatar("ingest", str(SAMPLE_BLOG), bad, "--json", data_dir=data, cwd=workdir)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)  # stdout is exactly one JSON document
    assert set(report) == INGEST_KEYS
    assert (report["added"], report["updated"], report["unchanged"], report["removed"]) == (
        SAMPLE_POSTS, 0, 0, 0)
    assert [f["source"] for f in report["failed"]] == [bad]
    assert set(report["failed"][0]) == {"source", "error"}

    run = avatar("posts", "--count", data_dir=data, cwd=workdir)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(SAMPLE_POSTS)

    queries = workdir / "queries.txt"
    queries.write_text("Broodhuys\nis it fair to charge drivers to enter the city centre?\n\n"
                       "best lasagna recipe with ricotta\n", encoding="utf-8")
    run = avatar("search", "--queries", str(queries), "--k", "3", "--json",
                 data_dir=data, cwd=workdir)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 3, run.stdout
    results = [json.loads(line) for line in lines]
    assert all(isinstance(r, list) and len(r) <= 3 for r in results)
    for hit in results[0] + results[1]:
        assert set(hit) == SEARCH_KEYS
        assert Path(hit["source"]).is_file()
    broodhuys = by_title[RARE_WORDS["Broodhuys"]]
    first = results[0][0]
    assert first["post_id"] == broodhuys.id
    assert first["title"] == broodhuys.title
    assert first["url"] == broodhuys.url
    assert Path(first["source"]).resolve() == Path(broodhuys.source).resolve()
    assert first["published"] == "2014-08-18"
    assert "Broodhuys" in first["snippet"]
    assert any("Congestion" in hit["title"] for hit in results[1])
    assert results[2] == []

    run = avatar("remove", broodhuys.id, data_dir=data, cwd=workdir)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1 removed")

    # The global --data-dir flag wins over AVATAR_DATA_DIR (which points at an empty dir).
    empty = workdir / "elsewhere"
    seed_models(empty, workdir / "data" / "models")
    run = avatar("--data-dir", str(data), "posts", "--count", data_dir=empty, cwd=workdir)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(SAMPLE_POSTS - 1)


def test_sync_groups_cross_posts_and_removes_what_vanished(workdir: Path) -> None:
    body = BODY.split("\n\n")
    main = entry("https://alexdoe-reflections.blogspot.com/2024/03/meters.html",
                 "Meters for every tap", body, "2024-03-12")
    mail = entry("https://alexdoe-letters.blogspot.com/2024/03/re-meters.html",
                 "RE: Meters for every tap", body, "2024-03-14")
    other = entry("https://alexdoe-reflections.blogspot.com/2025/02/ferries.html",
                  "Night Ferries", ["The Ostrabel night ferry should run all year round."],
                  "2025-02-01")
    with StaticServer() as site:
        main_feed = serve_feed(site, [main, other])
        mail_feed = serve_feed(site, [mail], path="/mail/feeds/posts/default")
        persona = workdir / "persona.toml"
        persona.write_text(f'name = "Alex Doe"\nsign_off = "With regards, Alex Doe"\n'
                           f'feeds = ["{main_feed}", "{mail_feed}"]\n', encoding="utf-8")
        env = child_env(AVATAR_DATA_DIR=str(workdir / "data"), AVATAR_PERSONA=str(persona),
                        AVATAR_ALLOW_PRIVATE_URLS="true")

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            done = subprocess.run([str(VENV_BIN / "avatar"), *args], capture_output=True,
                                  text=True, timeout=240, cwd=workdir, env=env)
            assert done.returncode == 0, done.stderr
            return done

        report = json.loads(run("sync", "--json").stdout)
        assert (report["added"], report["grouped"], report["removed_posts"]) == (2, 1, [])
        posts = {p["title"]: p for p in json.loads(run("posts", "--json").stdout)}
        assert posts["Meters for every tap"]["urls"] == [main.url, mail.url]
        assert posts["Meters for every tap"]["published"] == "2024-03-12"
        assert f"(also {mail.url})" in run("posts").stdout

        serve_feed(site, [other])
        text = run("sync").stdout
        assert f"removed {main.url}" in text and "1 removed" in text
        [hit] = json.loads(run("search", "smart meters old quarter", "--k", "1",
                               "--json").stdout)
        assert (hit["url"], hit["urls"], hit["published"]) == (mail.url, [mail.url],
                                                               "2024-03-14")
