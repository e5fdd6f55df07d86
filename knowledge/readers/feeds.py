"""RSS and Atom feeds (Blogger's /feeds/posts/default included), following rel=next pages."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import feedparser

from knowledge.post import Post, ReadFailure, ReadResult
from knowledge.readers.dates import coerce_date, parse_date
from knowledge.readers.errors import ReadError
from knowledge.readers.fetch import Fetcher
from knowledge.readers.fields import clean_author, clean_tags, clean_title
from knowledge.readers.html_text import html_to_text, html_to_text_and_quotes, normalize_text
from knowledge.readers.post_fields import PostFields
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES, add_post
from knowledge.speakers import Hint

DEFAULT_MAX_PAGES = 1000

FeedDict = Any  # feedparser's FeedParserDict: a dict with attribute access, untyped


def read_feed(
    content: bytes,
    *,
    url: str,
    fetcher: Fetcher | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Read a feed's posts, fetching its rel=next pages (when given a fetcher) to the end."""
    parsed = parse_feed(content, url=url)
    result = ReadResult()
    seen_pages = {url}
    seen_ids: set[str] = set()
    page_url = url
    pages = 1
    while True:
        _read_entries(
            parsed,
            feed_url=url,
            page_url=page_url,
            result=result,
            seen_ids=seen_ids,
            max_text_bytes=max_text_bytes,
        )
        next_url = next_page_url(parsed)
        # A page pointing back at one already read is a loop, not more archive.
        if not next_url or fetcher is None or next_url in seen_pages:
            if read_whole(parsed, result, len(seen_ids)):
                result.complete.add(url)
            return result
        if pages >= max_pages:
            result.failures.append(ReadFailure(
                source=url, error=f"stopped after {max_pages} pages of {url}; later posts not read"
            ))
            return result
        seen_pages.add(next_url)
        try:
            parsed = parse_feed(fetcher.get(next_url).content, url=next_url)
        except ReadError as exc:
            # The pages already read are still good: keep their posts, report the break.
            result.failures.append(ReadFailure(source=next_url, error=str(exc)))
            return result
        page_url = next_url
        pages += 1


def parse_feed(content: bytes, *, url: str) -> FeedDict:
    """Parse feed bytes with feedparser (never letting it fetch); ReadError if not a feed."""
    # A stream, never str or bytes: feedparser fetches a string that looks like a URL and
    # open()s bytes that name an existing file, so a body of b"/etc/passwd" would leak it.
    parsed = feedparser.parse(
        io.BytesIO(bytes(content)),
        response_headers={"content-location": url, "content-type": "text/xml"},
    )
    if not parsed.get("version") and not parsed.get("entries"):
        raise ReadError(f"{url} is not an RSS or Atom feed{_not_feed_hint(content)}")
    return parsed


def read_whole(page: FeedDict, result: ReadResult, entries: int) -> bool:
    """Whether a finished read holds the whole feed: no failure, every declared entry read.

    Only feeds that declare their size (Blogger's openSearch:totalResults) can say so: a
    plain RSS feed lists the latest few posts, and an older post missing from it is not gone.
    """
    declared = str(page.get("feed", {}).get("opensearch_totalresults", "")).strip()
    return not result.failures and declared.isdigit() and int(declared) == entries


def next_page_url(parsed: FeedDict) -> str:
    """The feed's rel=next link (how Blogger pages its archive), or ''."""
    for link in parsed.get("feed", {}).get("links", []):
        if link.get("rel") == "next" and link.get("href", "").startswith(("http://", "https://")):
            return str(link["href"])
    return ""


def entry_to_post(entry: FeedDict, *, feed_url: str) -> Post:
    """Build a Post from one feedparser entry; ReadError when it has neither title nor text."""
    title = _entry_title(entry)
    text, hints = _entry_text(entry)
    if not title and not text:
        raise ReadError("entry has no title and no content")
    published = _entry_date(entry, "published") or _entry_date(entry, "created")
    updated = _entry_date(entry, "updated")
    fields = PostFields(
        title=title,
        text=text,
        url=alternate_link(entry),
        # Atom entries may carry only <updated>: it is then the best publication date we have.
        published=published or updated,
        updated=updated,
        tags=clean_tags(tag.get("term") or tag.get("label") for tag in entry.get("tags", [])),
        # RSS <author> is "mail (Name)": feedparser's author_detail holds the name alone.
        author=clean_author((entry.get("author_detail") or {}).get("name")
                            or entry.get("author")),
        hints=hints,
    )
    return fields.to_post(source=feed_url, id_source=str(entry.get("id") or feed_url))


def alternate_link(entry: FeedDict) -> str:
    """The entry's web page: its rel=alternate HTML link, else its plain link."""
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") in (
            "text/html", "application/xhtml+xml"
        ):
            href = str(link.get("href", ""))
            if href.startswith(("http://", "https://")):
                return href
    link = str(entry.get("link", ""))
    return link if link.startswith(("http://", "https://")) else ""


def _read_entries(
    parsed: FeedDict,
    *,
    feed_url: str,
    page_url: str,
    result: ReadResult,
    seen_ids: set[str],
    max_text_bytes: int,
) -> None:
    for index, entry in enumerate(parsed.get("entries", []), start=1):
        try:
            post = entry_to_post(entry, feed_url=feed_url)
        except Exception as exc:  # one bad entry must never stop the rest of the feed
            source = alternate_link(entry) or f"{page_url} entry {index}"
            result.failures.append(ReadFailure(source=source, error=_entry_error(exc)))
            continue
        # Paging can repeat an entry when the author posts while we read.
        if post.id in seen_ids:
            continue
        seen_ids.add(post.id)
        add_post(result, post, max_text_bytes=max_text_bytes)


def _entry_error(exc: Exception) -> str:
    if isinstance(exc, ReadError):
        return str(exc)
    return f"could not read entry: {exc or type(exc).__name__}"


def _entry_title(entry: FeedDict) -> str:
    title = str(entry.get("title", ""))
    detail = entry.get("title_detail") or {}
    if "html" in str(detail.get("type", "")):
        title = html_to_text(title)
    return clean_title(title)


def _entry_text(entry: FeedDict) -> tuple[str, tuple[Hint, ...]]:
    # Full content (Atom <content>, RSS content:encoded) beats a summary/description.
    candidates = list(entry.get("content", []))
    if not candidates and entry.get("summary_detail"):
        candidates = [entry["summary_detail"]]
    elif not candidates and entry.get("summary"):
        candidates = [{"type": "text/html", "value": entry["summary"]}]
    best = max(candidates, key=lambda c: len(str(c.get("value", ""))), default=None)
    if best is None:
        return "", ()
    value = str(best.get("value", ""))
    if str(best.get("type", "text/html")) == "text/plain":
        return normalize_text(value), ()
    return html_to_text_and_quotes(value)


def _entry_date(entry: FeedDict, name: str) -> date | None:
    # dict.get, not entry.get: feedparser quietly answers "updated" with "published".
    # The raw string keeps the author's local date; *_parsed is converted to UTC.
    raw = dict.get(entry, name) or ""
    return parse_date(str(raw)) or coerce_date(dict.get(entry, f"{name}_parsed"))


def _not_feed_hint(content: bytes) -> str:
    head = bytes(content[:512]).lstrip().lower()
    if not head:
        return " (it is empty)"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return " (it is an HTML page)"
    if head.startswith(b"{") or head.startswith(b"["):
        return " (it looks like JSON)"
    return ""


def read_feed_url(
    url: str,
    *,
    fetcher: Fetcher,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Fetch a URL that must be a feed (as `sync` expects) and read all its pages."""
    document = fetcher.get(url)
    return read_feed(
        document.content,
        url=url,
        fetcher=fetcher,
        max_pages=max_pages,
        max_text_bytes=max_text_bytes,
    )
