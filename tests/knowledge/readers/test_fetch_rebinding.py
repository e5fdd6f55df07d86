"""DNS rebinding: the address that was checked is the one connected to, on every hop."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from knowledge.readers.errors import ReadError
from knowledge.readers.fetch import Fetcher
from tests.support.static_server import Route, StaticServer

PUBLIC = "93.184.215.14"  # a global unicast address (no test may reach it)


class RebindingResolver:
    """getaddrinfo for *.rebind.test: a public address first, loopback on every later call."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: dict[str, int] = {}

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not str(host).endswith("rebind.test"):
            return self.real(host, port, *args, **kwargs)
        self.calls[host] = self.calls.get(host, 0) + 1
        address = PUBLIC if self.calls[host] == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> RebindingResolver:
    """Every resolution in this test goes through the rebinding resolver."""
    resolver = RebindingResolver(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


def test_a_host_that_rebinds_to_loopback_is_never_reached(
        server: StaticServer, rebinding: RebindingResolver) -> None:
    secret = server.add_route("/rebind/secret.txt", Route(body=b"internal only"))
    port = secret.split(":")[2].split("/")[0]
    before = len(server.request_headers)
    with Fetcher(timeout=1.0) as fetcher, pytest.raises(ReadError):
        fetcher.get(f"http://evil.rebind.test:{port}/rebind/secret.txt")
    assert len(server.request_headers) == before, "the internal server was reached"


def test_the_refusal_does_not_echo_the_resolved_address(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", port or 0))])
    with Fetcher() as fetcher, pytest.raises(ReadError) as caught:
        fetcher.get("http://intranet.example/page")
    assert "10.9.8.7" not in str(caught.value)
    assert "private or local" in str(caught.value)


def test_a_pinned_public_host_is_fetched_with_its_own_name(
        server: StaticServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # allow_private: loopback passes the check; the request still names the host it asked for.
    url = server.add_route("/rebind/named.txt", Route(body=b"hello"))
    port = url.split(":")[2].split("/")[0]
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, p, *a, **k: real(
        "127.0.0.1" if host == "blog.pinned.test" else host, p, *a, **k))
    with Fetcher(allow_private=True) as fetcher:
        document = fetcher.get(f"http://blog.pinned.test:{port}/rebind/named.txt")
    assert document.content == b"hello"
    assert server.request_headers[-1]["Host"] == f"blog.pinned.test:{port}"
