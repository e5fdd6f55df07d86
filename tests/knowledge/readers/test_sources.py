"""read_source/read_sources: any source string to posts, never an exception."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from knowledge.post import ReadFailure
from knowledge.readers import read_source, read_sources
from knowledge.readers.fetch import Fetcher
from tests.support.static_server import Route, StaticServer


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        ("feeds/rss.xml", ["Why Tariffs Are Taxes", "On Remote Work"]),
        ("feeds/atom.xml", ["Markets & Morals", "Only Updated"]),
        ("export/classic.xml", ["Counting Every Vote", "Chips and Sovereignty"]),
        ("export/feed.atom", ["Energy 'Independence' Is a Myth", "Why I Still Write Daily"]),
        ("sitemap/sitemap_index.xml", ["The Case for Carbon Dividends", "Short Note"]),
        ("pages/article.html", ["The Case for Carbon Dividends"]),
    ],
)
def test_url_is_sniffed_and_read_by_the_right_reader(
    server: StaticServer, fetcher: Fetcher, path: str, titles: list[str]
) -> None:
    result = read_source(server.url(path), fetcher=fetcher)
    assert [p.title for p in result.posts] == titles


def test_blogger_feed_url_reads_all_pages(fetcher: Fetcher, blogger_feed_url: str) -> None:
    result = read_source(blogger_feed_url, fetcher=fetcher)
    assert len(result.posts) == 7
    assert result.failures == []


def test_unreadable_sources_become_failures(
    server: StaticServer, fetcher: Fetcher, closed_port_url: str, tmp_path: Path
) -> None:
    json_url = server.url("misc/data.json")
    missing = str(tmp_path / "nowhere.md")
    sources = [json_url, closed_port_url, missing, "ftp://example.com/feed.xml"]
    result = read_sources(sources, fetcher=fetcher)
    assert result.posts == []
    assert result.failures == [
        ReadFailure(
            json_url,
            f"{json_url} is not a feed, sitemap, Blogger export or web page (application/json)",
        ),
        ReadFailure(closed_port_url, f"could not reach {closed_port_url}: connection refused"),
        ReadFailure(missing, f"{missing} is neither an http(s) URL nor an existing file or folder"),
        ReadFailure("ftp://example.com/feed.xml", "ftp://example.com/feed.xml is not an http or "
                    "https URL"),
    ]


def test_good_sources_survive_bad_neighbours(
    server: StaticServer, fetcher: Fetcher, fixtures: Path, closed_port_url: str
) -> None:
    result = read_sources(
        [closed_port_url, server.url("feeds/rss.xml"), str(fixtures / "folder")], fetcher=fetcher
    )
    assert len(result.posts) == 2 + 5
    assert [f.source for f in result.failures] == [closed_port_url]


def test_the_same_post_twice_is_kept_once(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.url("feeds/rss.xml")
    result = read_sources([url, url], fetcher=fetcher)
    assert [p.title for p in result.posts] == ["Why Tariffs Are Taxes", "On Remote Work"]


def test_without_a_fetcher_private_hosts_are_refused(server: StaticServer) -> None:
    path = "/feeds/rss.xml?no-fetcher"
    result = read_source(server.url(path))
    assert result.posts == []
    assert result.failures[0].error.startswith(f"refusing to fetch {server.url(path)}: ")
    assert server.count(path) == 0


def test_gzipped_sitemap_url(server: StaticServer, fetcher: Fetcher) -> None:
    body = gzip.compress(server.file_body("sitemap/sitemap-posts.xml"))
    url = server.add_route("/sitemap.xml.gz", Route(body=body, content_type="application/gzip"))
    result = read_source(url, fetcher=fetcher)
    assert [p.title for p in result.posts] == ["The Case for Carbon Dividends", "Short Note"]
    assert [f.source for f in result.failures] == [server.url("pages/missing.html")]
