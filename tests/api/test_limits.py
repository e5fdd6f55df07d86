"""Body and message caps, the per-client rate limit, and CORS."""

from __future__ import annotations

import json

from api.limits import RateLimiter
from tests.api.conftest import QUESTION, MakeClient

VOTE = {"question": "q", "reply": "r", "model": "extractive", "helpful": True}


def test_a_body_over_the_cap_is_413_by_content_length(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=2000)
    response = client.post("/v1/chat", json={"message": "word " * 1000})
    assert response.status_code == 413
    assert response.json()["detail"] == "request body too large: the limit is 2000 bytes"


def test_a_chunked_body_over_the_cap_is_413_by_counting(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=2000)
    body = json.dumps({"message": "word " * 1000}).encode()
    chunks = iter([body[i:i + 500] for i in range(0, len(body), 500)])
    response = client.post("/v1/chat", content=chunks,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "request body too large" in response.json()["detail"]


def test_a_body_under_the_cap_passes(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=2000)
    body = json.dumps(VOTE).encode()
    response = client.post("/v1/feedback", content=iter([body[:10], body[10:]]),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text


def test_a_message_over_the_cap_is_422_with_a_clear_message(make_client: MakeClient) -> None:
    client = make_client(max_message_chars=50)
    for path in ("/v1/chat", "/v1/debate", "/v1/reflect"):
        response = client.post(path, json={"message": "x" * 51})
        assert response.status_code == 422, path
        assert response.json()["detail"] == "message too long: 51 characters; the limit is 50"
    completions = client.post("/v1/chat/completions", json={
        "model": "avatar", "messages": [{"role": "user", "content": "x" * 51}]})
    assert completions.status_code == 422
    assert "the limit is 50" in completions.json()["error"]["message"]


def test_the_rate_limit_answers_429_with_retry_after(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=3)
    assert [client.post("/v1/feedback", json=VOTE).status_code for _ in range(3)] == [201] * 3
    for path, body in (("/v1/feedback", VOTE), ("/v1/chat", {"message": QUESTION}),
                       ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}),
                       ("/v1/debate", {"message": QUESTION}), ("/v1/reflect", {"message": "x"})):
        limited = client.post(path, json=body)
        assert limited.status_code == 429, path
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert "too many requests" in limited.json()["detail"]
    # Reading is not limited.
    assert client.get("/v1/models").status_code == 200
    assert client.get("/v1/search", params={"q": "heat pump"}).status_code == 200


def test_the_window_slides_and_clients_are_counted_apart() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    assert limiter.check("a") == 60.0
    assert limiter.check("b") == 0
    now[0] += 30
    assert limiter.check("a") == 30.0
    now[0] += 30
    assert limiter.check("a") == 0
    assert RateLimiter(0).check("a") == 0  # 0 switches the limit off


def test_cors_only_for_the_configured_origins(make_client: MakeClient) -> None:
    client = make_client(allowed_origins=["https://ada-lindqvist.example"])
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    ok = client.options("/v1/chat", headers={"Origin": "https://ada-lindqvist.example",
                                             **preflight})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://ada-lindqvist.example"
    evil = client.options("/v1/chat", headers={"Origin": "https://evil.example", **preflight})
    assert evil.status_code == 400
    assert "access-control-allow-origin" not in evil.headers
    simple = client.get("/v1/models", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers
    allowed = client.get("/v1/models", headers={"Origin": "https://ada-lindqvist.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://ada-lindqvist.example"


def test_no_cors_headers_when_no_origin_is_configured(make_client: MakeClient) -> None:
    client = make_client()
    response = client.get("/v1/models", headers={"Origin": "https://ada-lindqvist.example"})
    assert "access-control-allow-origin" not in response.headers
