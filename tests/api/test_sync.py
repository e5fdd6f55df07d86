"""Scheduled sync: with AVATAR_SYNC_INTERVAL set, new feed posts arrive without a request."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from knowledge.archive import Archive
from tests.api.conftest import MakeSettings, admin
from tests.api.live import wait_for
from tests.support.blogger_feeds import FEED_PATH, entry, serve_feed
from tests.support.sample import SAMPLE_POSTS
from tests.support.static_server import Route, StaticServer

RARE = "Kwelderpad"
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Ada Lindqvist</title>
<link>https://ada-lindqvist.example/</link><description>Essays</description>
<item><title>Walking the Salt Marsh</title>
<link>https://ada-lindqvist.example/2025/03/salt-marsh.html</link>
<pubDate>Mon, 03 Mar 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;The {RARE} across the salt marsh floods twice a day, and the tide
table is the only timetable that has never been late.&lt;/p&gt;&lt;p&gt;Regards,
Ada&lt;/p&gt;</description></item>
</channel></rss>""".encode()


def persona_file(tmp_path: Path, feed_url: str) -> Path:
    path = tmp_path / "persona.toml"
    path.write_text(f'name = "Ada Lindqvist"\nsign_off = "Regards, Ada"\n'
                    f'feeds = ["{feed_url}"]\n', encoding="utf-8")
    return path


def test_scheduled_sync_brings_new_feed_posts(tmp_path: Path, make_settings: MakeSettings,
                                              fresh_archive: Archive) -> None:
    with StaticServer() as site:
        feed_url = site.add_route("/feed.xml", Route(body=FEED,
                                                     content_type="application/rss+xml"))
        settings = make_settings(persona=persona_file(tmp_path, feed_url), sync_interval=1,
                                 allow_private_urls=True)
        with TestClient(create_app(settings, archive=fresh_archive)) as client:
            wait_for(lambda: client.get("/v1/search", params={"q": RARE}).json(), 60,
                     "the scheduled sync to index the feed's new post")
            assert site.count("/feed.xml") >= 1
            hit = client.get("/v1/search", params={"q": RARE}).json()[0]
            assert hit["title"] == "Walking the Salt Marsh"


def test_sync_endpoint_runs_one_job_at_a_time(tmp_path: Path, make_settings: MakeSettings,
                                              fresh_archive: Archive) -> None:
    with StaticServer() as site:
        feed_url = site.add_route("/feed.xml", Route(body=FEED, delay=0.5,
                                                     content_type="application/rss+xml"))
        settings = make_settings(persona=persona_file(tmp_path, feed_url),
                                 allow_private_urls=True)
        with TestClient(create_app(settings, archive=fresh_archive)) as client:
            first = client.post("/v1/sync", headers=admin())
            second = client.post("/v1/sync", headers=admin())
            assert first.status_code == second.status_code == 202
            # While one sync is queued or running, asking again returns that same job.
            assert first.json()["job_id"] == second.json()["job_id"]
            job_id = first.json()["job_id"]
            wait_for(lambda: client.get(f"/v1/jobs/{job_id}", headers=admin()).json()[
                "status"] == "done", 60, "the sync job")
            report = client.get(f"/v1/jobs/{job_id}", headers=admin()).json()["report"]
            assert report["added"] == 1 and report["failed"] == []


KEEP = entry("https://alexdoe-reflections.blogspot.com/2025/05/orchards.html",
             "Orchards on the Ring Road", ["The Tamberlyn orchards along the ring road "
                                           "should be leased to the schools that tend them."],
             "2025-05-02")
GONE = entry("https://alexdoe-reflections.blogspot.com/2025/04/sirens.html",
             "Quieter Sirens", ["Ambulances in the Vornhelm district could use directional "
                                "sirens that warn the road ahead and spare the wards."],
             "2025-04-11")


def hits(client: TestClient, word: str) -> list[dict[str, object]]:
    return list(client.get("/v1/search", params={"q": word}).json())


def test_scheduled_sync_removes_a_post_gone_from_a_feed_read_whole(
        tmp_path: Path, make_settings: MakeSettings, fresh_archive: Archive) -> None:
    with StaticServer() as site:
        feed_url = serve_feed(site, [KEEP, GONE])
        settings = make_settings(persona=persona_file(tmp_path, feed_url), sync_interval=1,
                                 allow_private_urls=True)
        with TestClient(create_app(settings, archive=fresh_archive)) as client:
            wait_for(lambda: hits(client, "Vornhelm"), 60, "the feed's posts to be indexed")
            serve_feed(site, [KEEP])
            wait_for(lambda: not hits(client, "Vornhelm"), 60,
                     "the scheduled sync to remove the post gone from the feed")
            assert hits(client, "Tamberlyn")
            # The sample blog was ingested from files: a feed's sync never touches it.
            listed = client.get("/v1/posts", headers=admin()).json()
            assert listed["total"] == SAMPLE_POSTS + 1


def test_sync_job_reports_removed_posts_and_keeps_all_when_the_feed_fails(
        tmp_path: Path, make_settings: MakeSettings, fresh_archive: Archive) -> None:
    with StaticServer() as site:
        feed_url = serve_feed(site, [KEEP, GONE])
        settings = make_settings(persona=persona_file(tmp_path, feed_url),
                                 allow_private_urls=True)
        with TestClient(create_app(settings, archive=fresh_archive)) as client:
            assert run_sync(client)["added"] == 2
            site.add_route(FEED_PATH, Route(body=b"down", status=502, content_type="text/plain"))
            failed = start_sync(client)
            wait_for(lambda: job_status(client, failed) == "failed", 60, "the failing sync")
            assert hits(client, "Vornhelm") and hits(client, "Tamberlyn")
            serve_feed(site, [KEEP])
            report = run_sync(client)
            assert report["removed"] == 1 and report["removed_posts"] == [GONE.url]
            assert report["not_removed"] == []
            assert not hits(client, "Vornhelm")


def start_sync(client: TestClient) -> str:
    response = client.post("/v1/sync", headers=admin())
    assert response.status_code == 202
    return str(response.json()["job_id"])


def job_status(client: TestClient, job_id: str) -> str:
    return str(client.get(f"/v1/jobs/{job_id}", headers=admin()).json()["status"])


def run_sync(client: TestClient) -> dict[str, object]:
    job_id = start_sync(client)
    wait_for(lambda: job_status(client, job_id) == "done", 60, "the sync job")
    return dict(client.get(f"/v1/jobs/{job_id}", headers=admin()).json()["report"])
