"""Sitemaps (urlset and sitemapindex, nested, gzipped or not): every page listed, read as a post."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

from knowledge.post import ReadFailure, ReadResult
from knowledge.readers.dates import parse_date
from knowledge.readers.errors import ReadError
from knowledge.readers.fetch import Fetcher
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES
from knowledge.readers.webpage import read_webpage
from knowledge.readers.xml_doc import local_name, parse_xml

DEFAULT_MAX_SITEMAPS = 100
DEFAULT_MAX_URLS = 100_000
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass(frozen=True)
class SitemapEntry:
    """One <loc> of a sitemap, with its <lastmod> when given."""

    url: str
    lastmod: date | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: 'urlset' (pages) or 'sitemapindex' (more sitemaps)."""

    kind: str
    entries: tuple[SitemapEntry, ...]


def parse_sitemap(content: bytes, *, name: str) -> Sitemap:
    """Parse a sitemap document; ReadError when it is neither a urlset nor a sitemapindex."""
    root = parse_xml(maybe_gunzip(content, name=name), name=name)
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        raise ReadError(f"{name} is not a sitemap (its root element is <{kind}>)")
    entries: list[SitemapEntry] = []
    for item in root:
        loc = lastmod = ""
        for child in item:
            if local_name(child) == "loc":
                loc = (child.text or "").strip()
            elif local_name(child) == "lastmod":
                lastmod = (child.text or "").strip()
        if loc.startswith(("http://", "https://")):
            entries.append(SitemapEntry(url=loc, lastmod=parse_date(lastmod)))
    return Sitemap(kind=kind, entries=tuple(entries))


def sitemap_pages(
    content: bytes,
    *,
    url: str,
    fetcher: Fetcher | None,
    max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
    max_urls: int = DEFAULT_MAX_URLS,
) -> tuple[list[SitemapEntry], list[ReadFailure]]:
    """All page URLs a sitemap lists, following nested sitemap indexes up to the caps."""
    pages: list[SitemapEntry] = []
    failures: list[ReadFailure] = []
    seen_sitemaps = {url}
    seen_pages: set[str] = set()
    queue: list[tuple[str, bytes | None]] = [(url, content)]
    while queue:
        sitemap_url, body = queue.pop(0)
        try:
            if body is None:
                if fetcher is None:
                    raise ReadError(f"cannot fetch {sitemap_url}: no fetcher given")
                body = fetcher.get(sitemap_url).content
            sitemap = parse_sitemap(body, name=sitemap_url)
        except ReadError as exc:
            failures.append(ReadFailure(source=sitemap_url, error=str(exc)))
            continue
        for entry in sitemap.entries:
            if sitemap.kind == "sitemapindex":
                if entry.url in seen_sitemaps:
                    continue  # an index listing itself (or a cycle) must not loop
                if len(seen_sitemaps) >= max_sitemaps:
                    failures.append(ReadFailure(source=entry.url, error=(
                        f"not read: {url} lists more than {max_sitemaps} sitemaps"
                    )))
                    continue
                seen_sitemaps.add(entry.url)
                queue.append((entry.url, None))
            elif entry.url not in seen_pages:
                if len(seen_pages) >= max_urls:
                    failures.append(ReadFailure(source=url, error=(
                        f"stopped at {max_urls} pages; {url} lists more"
                    )))
                    return pages, failures
                seen_pages.add(entry.url)
                pages.append(entry)
    return pages, failures


def read_sitemap(
    content: bytes,
    *,
    url: str,
    fetcher: Fetcher,
    max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
    max_urls: int = DEFAULT_MAX_URLS,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Fetch and read every page a sitemap lists; each page that fails is reported alone."""
    pages, failures = sitemap_pages(
        content, url=url, fetcher=fetcher, max_sitemaps=max_sitemaps, max_urls=max_urls
    )
    result = ReadResult(failures=list(failures))
    for page in pages:
        try:
            document = fetcher.get(page.url)
            if document.content_type not in _HTML_TYPES:
                raise ReadError(f"{page.url} is not an HTML page ({document.content_type})")
            result.extend(read_webpage(
                document.content,
                url=document.final_url or page.url,
                source=page.url,
                lastmod=page.lastmod,
                max_text_bytes=max_text_bytes,
            ))
        except ReadError as exc:
            result.failures.append(ReadFailure(source=page.url, error=str(exc)))
    return result


def maybe_gunzip(content: bytes, *, name: str, max_bytes: int = 50 * 1024 * 1024) -> bytes:
    """Decompress a .xml.gz sitemap (by its magic bytes), refusing to inflate past max_bytes."""
    if not content.startswith(b"\x1f\x8b"):
        return content
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, max_bytes + 1)
    except zlib.error as exc:
        raise ReadError(f"{name} is not a valid gzip file: {exc}") from exc
    if len(data) > max_bytes:
        raise ReadError(f"{name} inflates to more than {max_bytes // (1024 * 1024)} MB")
    return data

