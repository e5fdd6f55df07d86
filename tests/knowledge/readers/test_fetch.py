"""The HTTP fetcher: limits, redirects, clear errors, and no requests to private hosts."""

from __future__ import annotations

import pytest

from knowledge.readers.errors import MB, ReadError
from knowledge.readers.fetch import DEFAULT_USER_AGENT, Fetcher, check_url_allowed
from tests.support.static_server import Route, StaticServer


def test_get_returns_body_type_and_sends_user_agent(
    server: StaticServer, fetcher: Fetcher
) -> None:
    document = fetcher.get(server.url("feeds/rss.xml"))
    assert document.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert document.content_type == "application/xml"
    assert document.final_url == server.url("feeds/rss.xml")
    assert server.request_headers[-1]["User-Agent"] == DEFAULT_USER_AGENT


def test_http_error_status_is_named(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.url("no/such/page.html")
    with pytest.raises(ReadError) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url} returned HTTP 404"


def test_unreachable_host_says_connection_refused(closed_port_url: str, fetcher: Fetcher) -> None:
    with pytest.raises(ReadError) as caught:
        fetcher.get(closed_port_url)
    assert str(caught.value) == f"could not reach {closed_port_url}: connection refused"


def test_declared_size_over_limit_is_refused_before_reading(
    server: StaticServer, fetcher: Fetcher
) -> None:
    url = server.add_route("/big/declared.xml", Route(body=b"x" * (12 * MB)))
    with pytest.raises(ReadError) as caught:
        fetcher.get(url)  # the default limit is 10 MB
    assert str(caught.value) == f"{url} is 12 MB, over the 10 MB limit"


def test_undeclared_size_is_counted_while_streaming(server: StaticServer) -> None:
    url = server.add_route("/big/streamed.xml", Route(body=b"y" * (3 * MB), omit_length=True))
    with Fetcher(allow_private=True, max_bytes=1 * MB) as small, pytest.raises(ReadError) as caught:
        small.get(url)
    assert str(caught.value) == f"{url} is more than 1 MB, over the 1 MB limit"


def test_slow_server_times_out(server: StaticServer) -> None:
    url = server.add_route("/slow.xml", Route(body=b"<rss/>", delay=1.5))
    with Fetcher(allow_private=True, timeout=0.3) as quick, pytest.raises(ReadError) as caught:
        quick.get(url)
    assert str(caught.value) == f"could not reach {url}: timed out after 0.3 s"


def test_redirects_are_followed(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.add_route(
        "/moved", Route(status=301, headers={"Location": "/pages/plain.html"})
    )
    document = fetcher.get(url)
    assert document.url == url
    assert document.final_url == server.url("pages/plain.html")
    assert b"Short Note" in document.content


def test_redirect_loop_and_too_many_redirects(server: StaticServer, fetcher: Fetcher) -> None:
    loop = server.add_route("/loop-a", Route(status=302, headers={"Location": "/loop-b"}))
    server.add_route("/loop-b", Route(status=302, headers={"Location": "/loop-a"}))
    with pytest.raises(ReadError, match="redirects in a loop"):
        fetcher.get(loop)
    for hop in range(8):
        server.add_route(f"/hop{hop}", Route(status=302, headers={"Location": f"/hop{hop + 1}"}))
    with pytest.raises(ReadError) as caught:
        fetcher.get(server.url("/hop0"))
    assert str(caught.value) == f"{server.url('/hop0')} redirected more than 5 times"


def test_every_redirect_hop_is_checked(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.add_route(
        "/to-file", Route(status=302, headers={"Location": "file:///etc/passwd"})
    )
    with pytest.raises(ReadError) as caught:
        fetcher.get(url)
    assert str(caught.value) == "file:///etc/passwd is not an http or https URL"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed.xml",
        "http://localhost/feed.xml",
        "http://10.0.0.1/feed.xml",
        "http://192.168.1.20/feed.xml",
        "http://172.16.5.4/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::1]/feed.xml",
        "http://[::ffff:10.0.0.1]/feed.xml",
        "http://224.0.0.1/",
    ],
)
def test_default_fetcher_refuses_private_addresses_without_connecting(url: str) -> None:
    # The refusal comes from the address check, before any socket is opened.
    with Fetcher() as safe, pytest.raises(ReadError) as caught:
        safe.get(url)
    assert str(caught.value).startswith(f"refusing to fetch {url}: ")
    assert "private or local address" in str(caught.value)


def test_default_fetcher_never_reaches_the_loopback_server(server: StaticServer) -> None:
    path = "/feeds/atom.xml?private-check"
    with Fetcher() as safe, pytest.raises(ReadError, match="refusing to fetch"):
        safe.get(server.url(path))
    assert server.count(path) == 0


def test_only_http_and_https() -> None:
    for url in ("ftp://example.com/feed.xml", "file:///etc/passwd", "javascript:alert(1)"):
        with pytest.raises(ReadError) as caught:
            check_url_allowed(url, allow_private=True)
        assert str(caught.value) == f"{url} is not an http or https URL"
