"""GET /v1/widget: any site may ask whether it may embed the chat, and is told the truth."""

from __future__ import annotations

from tests.api.conftest import MakeClient

ALLOWED = "https://ada-lindqvist.example"
OTHER = "https://copycat.example"


def test_an_allowed_origin_is_told_yes_and_another_no_both_readable_cross_origin(
        make_client: MakeClient) -> None:
    client = make_client(allowed_origins=[ALLOWED])
    for origin, allowed in ((ALLOWED, True), (OTHER, False)):
        response = client.get("/v1/widget", params={"origin": origin},
                              headers={"Origin": origin})
        assert response.status_code == 200
        assert response.json()["allowed"] is allowed
        assert response.headers["access-control-allow-origin"] in ("*", origin)
    body = client.get("/v1/widget", params={"origin": OTHER}).json()
    assert body["name"] == "Ada Lindqvist" and body["page"].endswith("/")
