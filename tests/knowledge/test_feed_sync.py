"""Sync removes what vanished from a feed read whole, and nothing on any doubt (real HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.archive import Archive
from knowledge.archive_reports import IngestReport
from knowledge.feed_sync import read_feeds, sync_feeds
from knowledge.readers import Fetcher, read_source
from tests.knowledge.conftest import OpenArchive
from tests.knowledge.cross_posts import BODY
from tests.support.blogger_feeds import FEED_PATH, entry, page_path, serve_feed
from tests.support.static_server import Route, StaticServer

BLOG = "https://alexdoe-reflections.blogspot.com"
MAIL = "https://alexdoe-letters.blogspot.com"
ENTRIES = [
    entry(f"{BLOG}/2025/04/tram.html", "The Tram Depot",
          ["The Quorvane tram depot should open at dawn, because the first shift of nurses "
           "starts before the buses do."], "2025-04-03"),
    entry(f"{BLOG}/2025/03/ledger.html", "A Ledger for Ration Shops",
          ["Every ration shop should keep a Zelbrin ledger that any customer may read, so "
           "that missing grain is noticed by the people who were meant to eat it."],
          "2025-03-20"),
    entry(f"{BLOG}/2025/03/kiln.html", "Brick Kilns and Winter Smog",
          ["Moving the Pellimar brick kilns to zig-zag firing would cut the winter smog "
           "without closing a single kiln or costing a worker his job."], "2025-03-02"),
]
WORDS = {"Quorvane": 0, "Zelbrin": 1, "Pellimar": 2}


@pytest.fixture
def site() -> Iterator[StaticServer]:
    with StaticServer() as server:
        yield server


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(allow_private=True, timeout=10) as client:
        yield client


@pytest.fixture
def archive(tmp_path: Path, open_archive: OpenArchive) -> Archive:
    return open_archive(tmp_path / "data")


def sync(archive: Archive, feeds: list[str], fetcher: Fetcher) -> IngestReport:
    return sync_feeds(archive, read_feeds(feeds, fetcher))


def found(archive: Archive, word: str) -> bool:
    return bool(archive.search(word, k=3))


def first_sync(archive: Archive, site: StaticServer, fetcher: Fetcher) -> str:
    feed = serve_feed(site, list(ENTRIES))
    report = sync(archive, [feed], fetcher)
    assert (report.added, report.removed, report.failed) == (3, 0, [])
    assert all(found(archive, word) for word in WORDS)
    return feed


def test_sync_removes_a_post_that_vanished_from_a_paged_feed(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    assert site.count(page_path(3, 2)) == 1  # both pages were read
    serve_feed(site, [ENTRIES[0], ENTRIES[2]])
    report = sync(archive, [feed], fetcher)
    assert report.removed_posts == [ENTRIES[1].url] and report.removed == 1
    assert report.to_json()["removed_posts"] == [ENTRIES[1].url]
    assert not found(archive, "Zelbrin")
    assert found(archive, "Quorvane") and found(archive, "Pellimar")
    assert archive.count_posts() == 2


def test_a_feed_that_fails_to_fetch_removes_nothing(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    site.add_route(FEED_PATH, Route(body=b"busy", status=503, content_type="text/plain"))
    report = sync(archive, [feed], fetcher)
    assert report.removed == 0 and report.failed
    assert [s.source for s in report.not_removed] == [feed]
    assert archive.count_posts() == 3


def test_a_read_cut_short_by_a_failing_page_removes_nothing(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    site.add_route(page_path(3, 2), Route(body=b"gone", status=404, content_type="text/plain"))
    report = sync(archive, [feed], fetcher)
    assert report.removed == 0 and report.unchanged == 2
    assert "not read cleanly" in report.not_removed[0].reason
    assert found(archive, "Pellimar")


def test_a_malformed_entry_removes_nothing(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    broken = "<entry><id>tag:blogger.com,1999:blog-77.post-9</id></entry>"
    serve_feed(site, [ENTRIES[0], broken, ENTRIES[2]])
    report = sync(archive, [feed], fetcher)
    assert report.removed == 0 and len(report.failed) == 1
    assert found(archive, "Zelbrin")


def test_an_empty_feed_is_suspicious_and_removes_nothing(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    serve_feed(site, [])
    report = sync(archive, [feed], fetcher)
    assert report.removed == 0 and report.failed == []
    assert "no longer lists any of the 3" in report.not_removed[0].reason
    assert archive.count_posts() == 3


def test_a_feed_that_cannot_show_it_was_read_whole_removes_nothing(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    # It declares more posts than it serves (a window onto the blog, not the blog).
    serve_feed(site, [ENTRIES[0]], total=40)
    report = sync(archive, [feed], fetcher)
    assert report.removed == 0 and "read whole" in report.not_removed[0].reason
    assert archive.count_posts() == 3


def test_posts_from_a_file_or_another_feed_are_never_removed_by_a_feed(
        tmp_path: Path, archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    feed = first_sync(archive, site, fetcher)
    note = tmp_path / "note.md"
    note.write_text("---\ntitle: A Note on Ferries\ndate: 2025-01-09\n---\n\nThe Ostrabel "
                    "ferry should carry bicycles free of charge on weekday mornings.\n",
                    encoding="utf-8")
    assert archive.ingest(read_source(str(note)).posts).added == 1
    other = serve_feed(site, ENTRIES[1:2], path="/other/feed.xml")
    serve_feed(site, [ENTRIES[0], ENTRIES[2]])
    report = sync(archive, [feed, other], fetcher)
    # The ledger post is still in the other feed, whose read says so: it stays.
    assert report.removed == 0
    assert found(archive, "Ostrabel") and found(archive, "Zelbrin")
    serve_feed(site, [ENTRIES[0]])
    report = sync(archive, [feed], fetcher)
    assert report.removed_posts == [ENTRIES[2].url]
    assert found(archive, "Ostrabel") and found(archive, "Zelbrin")


def test_a_cross_post_vanishing_from_one_blog_keeps_the_other_url(
        archive: Archive, site: StaticServer, fetcher: Fetcher) -> None:
    body = BODY.split("\n\n")
    main = entry(f"{BLOG}/2024/03/meters.html", "Meters for every tap", body, "2024-03-12")
    mail = entry(f"{MAIL}/2024/03/re-meters.html", "RE: Meters for every tap", body,
                 "2024-03-14")
    main_feed = serve_feed(site, [main, *ENTRIES])
    mail_feed = serve_feed(site, [mail], path="/mail/feed.xml")
    report = sync(archive, [main_feed, mail_feed], fetcher)
    assert (report.added, report.grouped) == (4, 1)
    [hit] = archive.search("smart meters old quarter leaks", k=1)
    assert hit.urls == (main.url, mail.url)
    serve_feed(site, list(ENTRIES))
    report = sync(archive, [main_feed, mail_feed], fetcher)
    assert report.removed_posts == [main.url]
    [hit] = archive.search("smart meters old quarter leaks", k=1)
    assert (hit.url, hit.urls) == (mail.url, (mail.url,))

