"""Attacks an anonymous caller can make on the API: none may give a 500 or leak a resolution."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.api.conftest import MakeClient, admin

SURROGATE = "\ud800"


def _raw_json(text: str) -> bytes:
    # json.dumps would escape the surrogate the same way; spelled out so the body is plain.
    return text.encode()


@pytest.mark.parametrize("body", [
    '{"message": "hello \\ud800 there"}',
    '{"message": "hi", "history": [{"role": "user", "content": "a \\ud800 b"}]}',
    '{"message": "hi", "history": [{"role": "assistant", "content": "\\udfff"}]}',
])
def test_a_lone_surrogate_is_a_422_not_a_500(make_client: MakeClient, body: str) -> None:
    client = make_client()
    for path in ("/v1/chat", "/v1/debate"):
        response = client.post(path, content=_raw_json(body),
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (path, response.status_code, response.text)
        assert "surrogate" in response.text or "unicode" in response.text.lower()


def test_a_lone_surrogate_in_a_validation_error_does_not_500(make_client: MakeClient) -> None:
    client = make_client()
    # A wrong type whose echoed input holds a surrogate: the 422 itself must encode.
    response = client.post("/v1/chat", content=b'{"message": 5, "x": "\\ud800"}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    bad_key = client.post("/v1/chat", content=b'{"message": ["\\ud800"]}',
                          headers={"Content-Type": "application/json"})
    assert bad_key.status_code == 422, bad_key.text


def test_wrong_admin_tokens_are_rate_limited(make_client: MakeClient) -> None:
    client = make_client()
    codes = [client.get("/v1/posts", headers=admin(f"guess-{i}")).status_code
             for i in range(40)]
    assert codes[:5] == [401] * 5
    assert 429 in codes, codes
    limited = client.get("/v1/posts", headers=admin("another-guess"))
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 600
    # The right token from another client still works: the limit is per caller.
    other = client.get("/v1/posts", headers={**admin(), "X-Forwarded-For": "ignored"})
    assert other.status_code in (200, 429)


def test_every_html_page_has_a_csp_with_frame_ancestors(make_client: MakeClient) -> None:
    client = make_client(allowed_origins=["https://author.example"])
    for path in ("/", "/?embed=1", "/static/index.html"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers.get("content-security-policy", "")
        assert "frame-ancestors 'self' https://author.example" in csp, (path, csp)
        assert response.headers.get("x-content-type-options") == "nosniff"
    api = client.get("/v1/health")
    assert "frame-ancestors 'none'" in api.headers.get("content-security-policy", "")


class _Rebinding:
    """getaddrinfo that answers a public address first, then loopback (DNS rebinding)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls = 0

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return self.real(host, port, *args, **kwargs)
        self.calls += 1
        address = "93.184.215.14" if self.calls == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]


def test_a_refused_url_does_not_tell_what_a_host_resolves_to(
        make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: (
        [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port or 0))]
        if host == "intranet.example" else real(host, port, *a, **k)))
    client = make_client(models=["extractive"], default_model="extractive")
    response = client.post("/v1/reflect", json={"message": "http://intranet.example/x",
                                                "model": "extractive"})
    assert response.status_code == 422, response.text
    assert "10.1.2.3" not in response.text
    assert "private or local" in response.text
