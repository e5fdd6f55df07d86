"""Decide what a source string is (URL, file, folder) and send it to the right reader."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from knowledge.post import ReadFailure, ReadResult
from knowledge.readers.errors import ReadError
from knowledge.readers.fetch import Fetcher
from knowledge.readers.files import read_path
from knowledge.readers.sitemap import maybe_gunzip
from knowledge.readers.table import READERS, Source, read_document
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES
from knowledge.readers.xml_doc import sniff_xml_kind

_XML_ROOTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


def read_source(
    source: str,
    *,
    fetcher: Fetcher | None = None,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Read any source — feed/sitemap/export/page URL, file or folder — never raising."""
    text = source.strip()
    try:
        if text.startswith(("http://", "https://")):
            if fetcher is not None:
                result = read_url(text, fetcher=fetcher, max_text_bytes=max_text_bytes)
            else:
                with Fetcher() as own:  # the safe defaults: public hosts only
                    result = read_url(text, fetcher=own, max_text_bytes=max_text_bytes)
        elif "://" in text:
            raise ReadError(f"{text} is not an http or https URL")
        elif text and Path(text).expanduser().exists():
            result = read_path(
                Path(text).expanduser(), fetcher=fetcher, max_text_bytes=max_text_bytes
            )
        else:
            name = text or "(empty)"
            raise ReadError(f"{name} is neither an http(s) URL nor an existing file or folder")
    except ReadError as exc:
        return ReadResult(failures=[ReadFailure(source=text, error=str(exc))])
    except Exception as exc:  # a reader bug must cost one source, not the whole ingest
        error = f"could not read {text}: {type(exc).__name__}: {exc}"
        return ReadResult(failures=[ReadFailure(source=text, error=error)])
    return dedupe(result)


def read_sources(
    sources: Iterable[str],
    *,
    fetcher: Fetcher | None = None,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Read several sources into one result; a post met twice is kept once (first wins)."""
    result = ReadResult()
    for source in sources:
        result.extend(read_source(source, fetcher=fetcher, max_text_bytes=max_text_bytes))
    return dedupe(result)


def read_url(
    url: str, *, fetcher: Fetcher, max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES
) -> ReadResult:
    """Fetch a URL and read it as what it turns out to be: feed, export, sitemap or page."""
    document = fetcher.get(url)
    # Sitemaps (and the odd feed) are served as .xml.gz files rather than gzip-encoded.
    content = maybe_gunzip(document.content, name=url)
    kind = sniff_content(content, content_type=document.content_type)
    if kind not in READERS:
        what = document.content_type or "unknown content type"
        raise ReadError(f"{url} is not a feed, sitemap, Blogger export or web page ({what})")
    source = Source(url, final_url=document.final_url, fetcher=fetcher, remote=True,
                    max_text_bytes=max_text_bytes)
    return read_document(kind, content, source)


def sniff_content(content: bytes, *, content_type: str = "") -> str:
    """'feed', 'blogger-export', 'sitemap', 'html' or '': the content decides, its type helps."""
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # Servers often label feeds text/html or text/plain, so the bytes come first.
    if head.startswith(_XML_ROOTS) or content_type.endswith(("xml", "rss", "atom")):
        kind = sniff_xml_kind(content)
        if kind:
            return kind
    if head.startswith(_HTML_STARTS) or b"<html" in head or "html" in content_type:
        return "html"
    return ""


def dedupe(result: ReadResult) -> ReadResult:
    """The same result with each post id kept once (its first occurrence)."""
    seen: set[str] = set()
    posts = []
    for post in result.posts:
        if post.id not in seen:
            seen.add(post.id)
            posts.append(post)
    return ReadResult(posts=posts, failures=list(result.failures), complete=set(result.complete))
