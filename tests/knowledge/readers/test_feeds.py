"""RSS and Atom feeds, Blogger's paged feed, and feeds with bad entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.post import ReadFailure, make_post_id
from knowledge.readers.errors import ReadError
from knowledge.readers.feeds import read_feed, read_feed_url
from knowledge.readers.fetch import Fetcher
from tests.support.static_server import Route, StaticServer


def test_rss_feed(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.url("feeds/rss.xml")
    result = read_feed_url(url, fetcher=fetcher)
    assert result.failures == []
    assert [p.title for p in result.posts] == ["Why Tariffs Are Taxes", "On Remote Work"]
    tariffs, remote = result.posts
    assert tariffs.url == "https://reflections.example.com/2019/03/why-tariffs-are-taxes.html"
    assert tariffs.id == tariffs.url  # canonical URL of an https link is itself
    # 23:30 at -08:00 is already the 15th in UTC: the author's own date is kept.
    assert tariffs.published == date(2019, 3, 14)
    assert tariffs.updated is None  # RSS has no modification date
    assert tariffs.tags == ("Trade", "Policy")
    assert tariffs.source == url
    assert tariffs.author == "Alex Doe"  # the name from "mail (Name)"
    assert remote.author == ""
    # Full content:encoded wins over the description; <script> is gone; a <br> inside a
    # paragraph becomes a space (Post keeps one canonical form: paragraphs and single spaces).
    assert tariffs.text == (
        "A tariff is a tax paid by the buyer at home, not by the foreign seller.\n\n"
        "Prices rise & choice shrinks. Exporters barely notice."
    )
    assert remote.text == "Offices are for meetings.\n\nHomes are for thinking."
    assert remote.published == date(2020, 6, 1)


def test_atom_feed(server: StaticServer, fetcher: Fetcher) -> None:
    result = read_feed_url(server.url("feeds/atom.xml"), fetcher=fetcher)
    assert result.failures == []
    markets, only_updated = result.posts
    assert markets.title == "Markets & Morals"  # type="html" title unescaped once
    assert markets.url == "https://atom.example.com/markets-and-morals"
    assert markets.published == date(2021, 2, 1)
    assert markets.updated == date(2021, 2, 3)
    assert markets.tags == ("economics", "ethics")
    assert markets.author == "Alex Doe"  # whitespace collapsed
    assert markets.text == "Markets reward what people want.\n\nMorals ask what they should want."
    # No <published>: <updated> stands in, in the entry's own time zone (UTC says 2021).
    assert only_updated.published == date(2020, 12, 31)
    assert only_updated.text == "An entry with a summary and no published date."


def test_blogger_feed_follows_every_page(
    server: StaticServer, fetcher: Fetcher, blogger_feed_url: str
) -> None:
    result = read_feed_url(blogger_feed_url, fetcher=fetcher)
    assert result.failures == []
    assert [p.title for p in result.posts] == [
        "Why Tariffs Are Taxes",
        "Trade & Jobs",
        "The Cloud Bill",
        "An untitled post about patience in policy making and the long game…",
        "Open Standards",
        "Small Business Credit",
        "First Post",
    ]
    first = result.posts[0]
    assert first.url == "https://alexdoe.blogspot.com/2019/03/post-7.html"  # rel=alternate
    assert first.published == date(2019, 3, 14)
    assert first.updated == date(2020, 1, 7)
    assert first.tags == ("Trade", "Policy")
    assert first.text == (
        "A tariff is a tax paid at home.\n\n"
        "Importers pass it on to buyers, and buyers pay it every day.\n\n"
        "Regards, Alex Doe\n\n"
        "Debate this topic with my virtual avatar."
    )
    # <div> per paragraph and an empty <div><br /></div> between them.
    assert result.posts[1].text == (
        "Jobs follow productivity, not tariffs.\n\nProtection keeps the weak alive.\n\n"
        "Regards, Alex Doe"
    )
    assert result.posts[-1].published == date(2006, 5, 1)
    assert server.count("/feeds/posts/default?start-index=7&max-results=3") >= 1


def test_blogger_feed_ids_are_stable_across_reads(
    fetcher: Fetcher, blogger_feed_url: str
) -> None:
    first = read_feed_url(blogger_feed_url, fetcher=fetcher).posts
    second = read_feed_url(blogger_feed_url, fetcher=fetcher).posts
    assert [p.id for p in first] == [p.id for p in second]
    assert [p.content_hash for p in first] == [p.content_hash for p in second]
    assert len({p.id for p in first}) == 7
    assert first[3].id == make_post_id(url="https://alexdoe.blogspot.com/2019/02/post-4.html")


def test_paging_loop_stops(server: StaticServer, fetcher: Fetcher) -> None:
    page1 = server.file_body("blogger/page1.xml").replace(
        b"/feeds/posts/default?start-index=4&amp;max-results=3", b"/loop/page2"
    )
    page2 = server.file_body("blogger/page2.xml").replace(
        b"/feeds/posts/default?start-index=7&amp;max-results=3", b"/loop/page1"
    )
    url = server.add_route("/loop/page1", Route(body=page1, content_type="application/atom+xml"))
    server.add_route("/loop/page2", Route(body=page2, content_type="application/atom+xml"))
    result = read_feed_url(url, fetcher=fetcher)
    assert len(result.posts) == 6
    assert result.failures == []
    assert server.count("/loop/page1") == 1


def test_page_cap_is_reported(fetcher: Fetcher, blogger_feed_url: str) -> None:
    result = read_feed_url(blogger_feed_url, fetcher=fetcher, max_pages=2)
    assert len(result.posts) == 6
    assert result.failures == [
        ReadFailure(
            source=blogger_feed_url,
            error=f"stopped after 2 pages of {blogger_feed_url}; later posts not read",
        )
    ]


def test_broken_next_page_keeps_earlier_posts(server: StaticServer, fetcher: Fetcher) -> None:
    page1 = server.file_body("blogger/page1.xml").replace(
        b"/feeds/posts/default?start-index=4&amp;max-results=3", b"/gone/page2"
    )
    url = server.add_route("/gone/page1", Route(body=page1, content_type="application/atom+xml"))
    result = read_feed_url(url, fetcher=fetcher)
    assert len(result.posts) == 3
    missing = server.url("/gone/page2")
    assert result.failures == [ReadFailure(source=missing, error=f"{missing} returned HTTP 404")]


def test_malformed_entries_are_reported_and_the_rest_ingest(
    server: StaticServer, fetcher: Fetcher
) -> None:
    url = server.url("feeds/malformed.xml")
    result = read_feed_url(url, fetcher=fetcher)
    assert [p.title for p in result.posts] == ["Good One", "Good Two"]
    assert result.failures == [
        ReadFailure(source=f"{url} entry 2", error="entry has no title and no content"),
        ReadFailure(
            source="https://mixed.example.com/title-only",
            error='"Title But No Words" has no text',
        ),
    ]


def test_html_is_not_a_feed(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.url("pages/article.html")
    with pytest.raises(ReadError) as caught:
        read_feed_url(url, fetcher=fetcher)
    assert str(caught.value) == f"{url} is not an RSS or Atom feed (it is an HTML page)"


def test_feedparser_is_never_allowed_to_fetch(server: StaticServer) -> None:
    # A body that is itself a URL must be parsed as (non-)feed text, not fetched.
    target = server.url("feeds/rss.xml?must-not-be-fetched")
    with pytest.raises(ReadError, match="is not an RSS or Atom feed"):
        read_feed(target.encode(), url="memory")
    assert server.count("/feeds/rss.xml?must-not-be-fetched") == 0


def test_a_body_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "feed.xml"
    secret.write_text(
        "<rss version='2.0'><channel><item><title>LEAKED</title>"
        "<description>x</description></item></channel></rss>"
    )
    with pytest.raises(ReadError, match="is not an RSS or Atom feed"):
        read_feed(str(secret).encode(), url="https://evil.example.com/feed")


def test_post_over_the_text_limit_is_a_failure(server: StaticServer, fetcher: Fetcher) -> None:
    result = read_feed_url(server.url("feeds/rss.xml"), fetcher=fetcher, max_text_bytes=60)
    assert [p.title for p in result.posts] == ["On Remote Work"]
    assert len(result.failures) == 1
    assert result.failures[0].error == (
        '"Why Tariffs Are Taxes" is 127 bytes of text, over the 60 bytes limit'
    )
