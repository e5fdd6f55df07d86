"""Sitemaps: index → sitemap → pages, each page read on its own."""

from __future__ import annotations

import gzip
from datetime import date

from knowledge.post import ReadFailure
from knowledge.readers.fetch import Fetcher
from knowledge.readers.sitemap import SitemapEntry, parse_sitemap, read_sitemap, sitemap_pages
from tests.support.static_server import Route, StaticServer


def test_sitemap_index_to_pages(server: StaticServer, fetcher: Fetcher) -> None:
    url = server.url("sitemap/sitemap_index.xml")
    before = server.count("/sitemap/sitemap_index.xml")
    result = read_sitemap(fetcher.get(url).content, url=url, fetcher=fetcher)
    assert [p.title for p in result.posts] == ["The Case for Carbon Dividends", "Short Note"]
    missing = server.url("pages/missing.html")
    assert result.failures == [ReadFailure(source=missing, error=f"{missing} returned HTTP 404")]
    carbon, note = result.posts
    assert carbon.url == "https://reflections.example.com/2021/05/carbon-dividends.html"
    assert carbon.published == date(2021, 5, 18)  # the page's own date beats lastmod
    assert carbon.updated == date(2021, 5, 20)  # lastmod
    assert carbon.source == server.url("pages/article.html")
    assert note.published == date(2021, 4, 11)  # no date on the page: lastmod stands in
    assert note.text == "Brief."
    # The index lists itself; it is read once, not forever.
    assert server.count("/sitemap/sitemap_index.xml") == before + 1


def test_parse_urlset_and_gzip() -> None:
    xml = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://a.example.com/one</loc><lastmod>2020-02-03T04:05:06+00:00</lastmod></url>
  <url><loc> https://a.example.com/two </loc></url>
  <url><loc>not-a-url</loc></url>
</urlset>"""
    for data in (xml, gzip.compress(xml)):
        sitemap = parse_sitemap(data, name="s.xml")
        assert sitemap.kind == "urlset"
        assert sitemap.entries == (
            SitemapEntry("https://a.example.com/one", date(2020, 2, 3)),
            SitemapEntry("https://a.example.com/two", None),
        )


def test_sitemap_cap_is_reported(server: StaticServer, fetcher: Fetcher) -> None:
    index = "".join(
        f"<sitemap><loc>{server.url(f'/cap/s{n}.xml')}</loc></sitemap>" for n in range(4)
    )
    body = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}'
    body += "</sitemapindex>"
    for n in range(4):
        server.add_route(f"/cap/s{n}.xml", Route(
            body=f'<urlset><url><loc>{server.url(f"/cap/p{n}.html")}</loc></url></urlset>'.encode(),
            content_type="application/xml",
        ))
    pages, failures = sitemap_pages(
        body.encode(), url="index.xml", fetcher=fetcher, max_sitemaps=3
    )
    assert [p.url for p in pages] == [server.url("/cap/p0.html"), server.url("/cap/p1.html")]
    assert failures == [
        ReadFailure(source=server.url(f"/cap/s{n}.xml"),
                    error="not read: index.xml lists more than 3 sitemaps")
        for n in (2, 3)
    ]
