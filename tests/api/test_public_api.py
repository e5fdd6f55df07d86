"""What API callers see: public `source`s, usage counts, offline docs, favicon, busy ports."""

from __future__ import annotations

import json
import socket

import pytest

from api.ports import PortBusy, check_port_free
from api.public_source import public_source
from api.services import sample_blog_path
from tests.api.conftest import QUESTION, MakeClient

SERVER_PATH = str(sample_blog_path())


def assert_public(sources: list[str]) -> None:
    """No source names a place on the server's disk."""
    assert sources
    for source in sources:
        assert not source.startswith("/") and SERVER_PATH not in source, source
        assert source.startswith("https://ada-lindqvist.example/"), source


def test_search_sources_are_public_urls(make_client: MakeClient) -> None:
    hits = make_client().get("/v1/search", params={"q": "open-source maintainers"}).json()
    assert_public([h["source"] for h in hits])


def test_chat_and_completion_sources_are_public_urls(make_client: MakeClient) -> None:
    client = make_client(default_model="extractive", models=["extractive"])
    reply = client.post("/v1/chat", json={"message": QUESTION}).json()
    assert_public([c["source"] for c in reply["citations"]])
    body = client.post("/v1/chat/completions", json={
        "model": "avatar", "messages": [{"role": "user", "content": QUESTION}]}).json()
    assert_public([c["source"] for c in body["citations"]])
    assert SERVER_PATH not in body["choices"][0]["message"]["content"]


def test_a_file_without_url_is_named_by_its_place_in_the_folder() -> None:
    assert public_source(f"{SERVER_PATH}/2016-06-plumbing.md") == "2016-06-plumbing.md"
    assert public_source("/srv/blog/notes/on-tariffs.md") == "on-tariffs.md"
    assert public_source("notes/on-tariffs.md") == "notes/on-tariffs.md"
    assert public_source("/srv/x.md", "https://blog.example/x") == "https://blog.example/x"


def test_completion_usage_counts_words(make_client: MakeClient) -> None:
    client = make_client(default_model="extractive", models=["extractive"])
    body = client.post("/v1/chat/completions", json={
        "model": "avatar", "messages": [{"role": "user", "content": QUESTION}]}).json()
    usage = body["usage"]
    assert usage["prompt_tokens"] == len(QUESTION.split())
    assert usage["completion_tokens"] == len(body["choices"][0]["message"]["content"].split())
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_streamed_completion_reports_usage_at_the_end(make_client: MakeClient) -> None:
    client = make_client(default_model="extractive", models=["extractive"])
    with client.stream("POST", "/v1/chat/completions", json={
            "model": "avatar", "stream": True,
            "messages": [{"role": "user", "content": QUESTION}]}) as response:
        lines = [line for line in response.iter_lines() if line.startswith("data: {")]
    last = json.loads(lines[-1][6:])
    assert last["usage"]["completion_tokens"] > 0


def test_docs_and_redoc_load_their_assets_from_this_server(make_client: MakeClient) -> None:
    client = make_client()
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "cdn." not in page.text and "fonts.googleapis" not in page.text, path
    docs = client.get("/docs").text
    for asset in ("/docs-assets/swagger-ui-bundle.js",
                  "/docs-assets/swagger-ui.css",
                  "/docs-assets/redoc.standalone.js"):
        assert asset in docs or asset in client.get("/redoc").text
        fetched = client.get(asset)
        assert fetched.status_code == 200 and len(fetched.content) > 10_000, asset


def test_favicon_is_served(make_client: MakeClient) -> None:
    response = make_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_a_busy_port_is_named_with_the_way_out() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortBusy) as raised:
            check_port_free("127.0.0.1", port)
    message = str(raised.value)
    assert f"port {port}" in message and "--port" in message and "PORT=" in message
