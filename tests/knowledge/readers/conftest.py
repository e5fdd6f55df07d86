"""Fixtures for the reader tests: a static HTTP server over the fixture files, a fetcher."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.readers.fetch import Fetcher
from tests.support.static_server import Route, StaticServer

ROOT = Path(__file__).resolve().parents[3]

FIXTURES = ROOT / "tests" / "fixtures" / "readers"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of reader fixture files."""
    return FIXTURES


@pytest.fixture(scope="session")
def server() -> Iterator[StaticServer]:
    """A static server on 127.0.0.1 over the fixture files (shared; tests add unique routes)."""
    with StaticServer(FIXTURES) as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """A fetcher allowed to reach the loopback test server."""
    with Fetcher(allow_private=True, timeout=5) as client:
        yield client


@pytest.fixture(scope="session")
def blogger_feed_url(server: StaticServer) -> str:
    """A Blogger-style feed of 7 posts on 3 pages linked by rel=next, served like Blogger's."""
    for page, path in enumerate(
        (
            "/feeds/posts/default",
            "/feeds/posts/default?start-index=4&max-results=3",
            "/feeds/posts/default?start-index=7&max-results=3",
        ),
        start=1,
    ):
        server.add_route(path, Route(
            body=server.file_body(f"blogger/page{page}.xml"),
            content_type="application/atom+xml; charset=UTF-8",
        ))
    return server.url("/feeds/posts/default")


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"

