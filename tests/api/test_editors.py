"""Editor endpoints: the admin token, adding posts as jobs, listing, removing, feedback."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from knowledge.archive import Archive
from tests.api.conftest import ADMIN_TOKEN, MakeClient, admin
from tests.api.live import wait_for
from tests.support.sample import SAMPLE_POSTS
from tests.support.static_server import Route, StaticServer

RARE = "Zwaluwstaart"  # a word no sample post contains
INLINE = {"title": "On Dovetail Joints", "date": "2024-05-01",
          "url": "https://ada-lindqvist.example/2024/05/dovetails.html", "tags": ["craft"],
          "text": f"My grandfather called the {RARE} joint the honest joint. It holds without "
                  "glue because its shape does the work, and I think good rules are like that."}
EDITOR_CALLS = [("GET", "/v1/posts", None), ("POST", "/v1/posts", INLINE),
                ("DELETE", "/v1/posts/https://ada-lindqvist.example/x.html", None),
                ("POST", "/v1/sync", None), ("GET", "/v1/jobs/abc", None),
                ("GET", "/v1/feedback", None)]


def call(client: TestClient, method: str, path: str, body: Any = None,
         headers: dict[str, str] | None = None) -> Any:
    return client.request(method, path, json=body, headers=headers or {})


def finished_job(client: TestClient, job_id: str) -> dict[str, Any]:
    """Poll a job until it is done or failed; its last JSON."""
    seen: dict[str, Any] = {}

    def finished() -> bool:
        seen.update(client.get(f"/v1/jobs/{job_id}", headers=admin()).json())
        return seen["status"] in ("done", "failed")

    wait_for(finished, 60, f"job {job_id} to finish")
    return seen


def test_editor_endpoints_refuse_a_missing_or_wrong_token(make_client: MakeClient) -> None:
    client = make_client()
    for method, path, body in EDITOR_CALLS:
        missing = call(client, method, path, body)
        assert missing.status_code == 401, (method, path, missing.text)
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = call(client, method, path, body, admin(ADMIN_TOKEN + "x"))
        assert wrong.status_code == 401, (method, path)
        basic = call(client, method, path, body, {"Authorization": f"Basic {ADMIN_TOKEN}"})
        assert basic.status_code == 401, (method, path)


def test_editor_endpoints_are_closed_without_a_configured_token(
        make_client: MakeClient) -> None:
    client = make_client(admin_token=None)
    for method, path, body in EDITOR_CALLS:
        response = call(client, method, path, body, admin())
        assert response.status_code == 403, (method, path)
        assert "admin token not configured" in response.json()["detail"]


def test_an_inline_post_becomes_searchable_after_its_job(make_client: MakeClient,
                                                         fresh_archive: Archive) -> None:
    client = make_client(archive_=fresh_archive)
    assert client.get("/v1/search", params={"q": RARE}).json() == []
    response = client.post("/v1/posts", json=INLINE, headers=admin())
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] in ("queued", "running", "done")
    assert response.headers["location"] == f"/v1/jobs/{job['job_id']}"
    done = finished_job(client, job["job_id"])
    assert done["status"] == "done", done
    assert done["report"] == {"added": 1, "updated": 0, "unchanged": 0, "removed": 0,
                              "grouped": 0, "failed": []}
    hits = client.get("/v1/search", params={"q": RARE}).json()
    assert hits and hits[0]["title"] == "On Dovetail Joints"
    assert hits[0]["post_id"] == INLINE["url"] and hits[0]["published"] == "2024-05-01"
    # Adding it again changes nothing (idempotent).
    again = client.post("/v1/posts", json=INLINE, headers=admin()).json()
    assert finished_job(client, again["job_id"])["report"]["unchanged"] == 1


def test_list_and_remove_posts(make_client: MakeClient, fresh_archive: Archive) -> None:
    client = make_client(archive_=fresh_archive)
    page = client.get("/v1/posts", params={"limit": 5, "offset": 2}, headers=admin()).json()
    assert page["total"] == SAMPLE_POSTS and page["offset"] == 2 and len(page["posts"]) == 5
    everything = client.get("/v1/posts", params={"limit": 500}, headers=admin()).json()["posts"]
    assert [p["post_id"] for p in everything[2:7]] == [p["post_id"] for p in page["posts"]]
    target = next(p for p in everything if p["title"] == "Who Pays for the Plumbing?")
    assert target["post_id"].startswith("https://")
    # Ids are URLs: the path converter keeps their slashes.
    removed = client.delete(f"/v1/posts/{target['post_id']}", headers=admin())
    assert removed.status_code == 200 and removed.json() == {"removed": 1}
    assert client.delete(f"/v1/posts/{target['post_id']}", headers=admin()).json() == {
        "removed": 0}
    titles = [p["title"] for p in client.get(
        "/v1/posts", params={"limit": 500}, headers=admin()).json()["posts"]]
    assert len(titles) == SAMPLE_POSTS - 1 and "Who Pays for the Plumbing?" not in titles


def test_a_url_is_read_in_the_background(make_client: MakeClient,
                                         fresh_archive: Archive) -> None:
    page = (f"<html><head><title>Notes on Joinery</title></head><body><article>"
            f"<h1>Notes on Joinery</h1><p>The {RARE} joint needs no glue at all, which is "
            f"why I admire it more than any fastener I have bought.</p><p>Regards, Ada</p>"
            f"</article></body></html>").encode()
    with StaticServer() as site:
        url = site.add_route("/joinery.html", Route(body=page))
        client = make_client(archive_=fresh_archive, allow_private_urls=True)
        job = client.post("/v1/posts", json={"url": url}, headers=admin()).json()
        done = finished_job(client, job["job_id"])
    assert done["status"] == "done", done
    assert done["report"]["added"] == 1
    assert client.get("/v1/search", params={"q": RARE}).json()[0]["title"] == "Notes on Joinery"


def test_an_unreadable_url_fails_its_job_with_the_reason(make_client: MakeClient,
                                                         fresh_archive: Archive) -> None:
    client = make_client(archive_=fresh_archive)  # private addresses refused by default
    job = client.post("/v1/posts", json={"url": "http://127.0.0.1:9/feed.xml"},
                      headers=admin()).json()
    done = finished_job(client, job["job_id"])
    assert done["status"] == "failed"
    assert "127.0.0.1" in done["error"] and done["report"]["failed"]


def test_bad_post_bodies_are_422(make_client: MakeClient) -> None:
    client = make_client()
    for body in ({}, {"url": "/etc/passwd"}, {"url": "file:///etc/passwd"},
                 {"title": "No text"}, {"text": "No title"}):
        assert client.post("/v1/posts", json=body, headers=admin()).status_code == 422, body


def test_sync_without_feeds_and_unknown_jobs(make_client: MakeClient) -> None:
    client = make_client()
    response = client.post("/v1/sync", headers=admin())
    assert response.status_code == 400 and "no feeds" in response.json()["detail"]
    assert client.get("/v1/jobs/nope", headers=admin()).status_code == 404


def test_feedback_is_stored_as_json_lines_and_read_by_editors(make_client: MakeClient) -> None:
    client = make_client()
    vote = {"question": "Do heat pumps work?", "reply": "Yes [1].", "model": "extractive",
            "citations": [{"n": 1, "post_id": "https://ada-lindqvist.example/heat.html"}],
            "helpful": True}
    assert client.post("/v1/feedback", json=vote).status_code == 201
    assert client.post("/v1/feedback", json={**vote, "helpful": False,
                                             "surface": "slack"}).status_code == 201
    assert client.post("/v1/feedback", json={"question": "q"}).status_code == 422
    state = client.app.state.avatar  # type: ignore[attr-defined]
    lines = (state.settings.data_dir / "feedback.jsonl").read_text().splitlines()
    assert len(lines) == 2
    records = client.get("/v1/feedback", headers=admin()).json()["feedback"]
    assert [r["helpful"] for r in records] == [False, True]  # newest first
    assert records[1]["surface"] == "web" and records[0]["surface"] == "slack"
    assert records[1]["citations"] == vote["citations"] and records[1]["at"]
