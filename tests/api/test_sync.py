"""Scheduled sync: with AVATAR_SYNC_INTERVAL set, new feed posts arrive without a request."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from knowledge.archive import Archive
from tests.api.conftest import MakeSettings, admin
from tests.api.live import wait_for
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
