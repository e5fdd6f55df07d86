"""Shared conversations: stored by link, read-only, expiring, removable by the owner only."""

from __future__ import annotations

import time

from tests.api.conftest import QUESTION, MakeClient

CONVERSATION = {"mode": "ask", "turns": [
    {"role": "user", "text": QUESTION},
    {"role": "assistant", "text": "They should pay [1].",
     "reply": {"citations": [{"n": 1, "title": "Who Pays", "url": "https://blog.example/1",
                              "quote": "They should pay."}]}}]}


def test_a_shared_conversation_is_read_by_its_link_and_removed_by_its_owner(
        make_client: MakeClient) -> None:
    client = make_client()
    made = client.post("/v1/conversations", json=CONVERSATION)
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["url"] == f"/?c={link['id']}" and link["owner_token"]
    opened = client.get(f"/v1/conversations/{link['id']}").json()
    assert opened["turns"] == [{**t, "reply": t.get("reply")} for t in CONVERSATION["turns"]]
    assert opened["owner_token"] is None  # a reader never sees the owner's token
    assert client.get("/v1/conversations").status_code in (404, 405)  # no listing
    wrong = client.delete(f"/v1/conversations/{link['id']}", headers={"X-Owner-Token": "x"})
    assert wrong.status_code == 403
    gone = client.delete(f"/v1/conversations/{link['id']}",
                         headers={"X-Owner-Token": link["owner_token"]})
    assert gone.status_code == 204
    assert client.get(f"/v1/conversations/{link['id']}").status_code == 404


def test_a_shared_conversation_expires(make_client: MakeClient) -> None:
    client = make_client(share_ttl="1s")
    link = client.post("/v1/conversations", json=CONVERSATION).json()
    assert client.get(f"/v1/conversations/{link['id']}").status_code == 200
    time.sleep(1.2)
    assert client.get(f"/v1/conversations/{link['id']}").status_code == 404


def test_shares_live_in_sqlite_under_the_data_dir(make_client: MakeClient,
                                                  tmp_path: object) -> None:
    client = make_client()
    client.post("/v1/conversations", json=CONVERSATION)
    state = client.app.state.avatar  # type: ignore[attr-defined]
    assert state.shares.path == state.settings.data_dir / "conversations.sqlite3"
    assert state.shares.path.read_bytes().startswith(b"SQLite format 3")


def test_suggestions_offer_an_uncited_post_an_objection_and_a_debate(
        make_client: MakeClient) -> None:
    client = make_client()
    cited = client.get("/v1/search", params={"q": QUESTION, "k": 1}).json()[0]["post_id"]
    found = client.post("/v1/suggestions", json={"question": QUESTION, "cited": [cited]})
    assert found.status_code == 200, found.text
    items = found.json()["suggestions"]
    assert [s["kind"] for s in items] == ["related", "counter", "debate"]
    posts = [s["post"]["post_id"] for s in items if s["post"]]
    assert cited not in posts and len(set(posts)) == len(posts)
    assert all(s["message"] for s in items)
    silent = client.post("/v1/suggestions", json={"question": "xqzv wplk"}).json()
    assert silent["suggestions"] == []
