"""A single web page: its main text (navigation and boilerplate dropped) and metadata."""

from __future__ import annotations

import logging
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from knowledge.post import Post, ReadResult
from knowledge.readers.dates import parse_date
from knowledge.readers.fields import clean_tags, clean_title, title_from_text
from knowledge.readers.html_meta import (
    canonical_link,
    first_h1,
    meta_published,
    meta_tags,
    meta_updated,
    page_title,
)
from knowledge.readers.html_text import element_to_text, parse_html, quote_hints
from knowledge.readers.page_chrome import drop_chrome
from knowledge.readers.post_fields import PostFields
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES, add_post

# trafilatura logs every page it finds thin at WARNING; an ingest reports its own failures.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_SHORT_TEXT = 250  # characters; below this trafilatura's output is not trusted over the fallback


def read_webpage(
    html: bytes | str,
    *,
    url: str,
    source: str = "",
    lastmod: date | None = None,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Read one HTML page into a checked Post (lastmod, e.g. from a sitemap, backs up dates)."""
    result = ReadResult()
    post = page_to_post(html, url=url, source=source or url, lastmod=lastmod)
    add_post(result, post, max_text_bytes=max_text_bytes)
    return result


def page_to_post(
    html: bytes | str, *, url: str, source: str = "", lastmod: date | None = None
) -> Post:
    """Extract a page's main text and metadata into a Post (not yet checked)."""
    return parse_page(html, url=url, lastmod=lastmod).to_post(source=source or url)


def parse_page(html: bytes | str, *, url: str, lastmod: date | None = None) -> PostFields:
    """A page's main text (template chrome dropped), metadata and quoted blocks."""
    root, html = without_chrome(html)
    extracted = extract_main(html, url=url)
    if extracted is not None:
        title, text, published, canonical, tags = extracted
    else:
        title, text, published, canonical, tags = "", "", None, "", ()
    if root is not None:
        text = choose_text(text, root)
        title = title or first_h1(root) or page_title(root)
        published = published or meta_published(root)
        canonical = canonical or canonical_link(root)
        tags = tags or meta_tags(root)
    updated = meta_updated(root) if root is not None else None
    return PostFields(
        title=title or title_from_text(text),
        text=text,
        url=canonical or url,
        published=published or lastmod,
        updated=updated or lastmod,
        tags=tags,
        hints=quote_hints(root) if root is not None else (),
    )


def without_chrome(html: bytes | str) -> tuple[etree._Element | None, bytes | str]:
    """The parsed page without template chrome, and the page's HTML to extract from."""
    root = parse_html(html)
    if root is not None and drop_chrome(root):
        # trafilatura parses for itself: give it the page as it is now.
        return root, lxml.html.tostring(root, encoding="unicode")
    return root, html


def extract_main(
    html: bytes | str, *, url: str
) -> tuple[str, str, date | None, str, tuple[str, ...]] | None:
    """trafilatura's main text and metadata: (title, text, published, canonical url, tags)."""
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
        )
    except Exception:  # trafilatura raises assorted errors on odd markup; the fallback copes
        return None
    if document is None:
        return None
    title = clean_title(str(getattr(document, "title", "") or ""))
    body = getattr(document, "body", None)
    text = element_to_text(body) if body is not None else ""
    # trafilatura keeps the page's <h1> as the body's first heading; the title holds it.
    if title and text.startswith(title + "\n\n"):
        text = text[len(title) + 2 :]
    elif title and text == title:
        text = ""
    canonical = str(getattr(document, "url", "") or "")
    if not canonical.startswith(("http://", "https://")):
        canonical = ""
    published = parse_date(str(getattr(document, "date", "") or ""))
    tags = clean_tags(
        [*(getattr(document, "tags", None) or []), *(getattr(document, "categories", None) or [])]
    )
    return title, text, published, canonical, tags


def choose_text(extracted: str, root: etree._Element) -> str:
    """trafilatura's text, unless it is thin: then the page's article/main/body text."""
    if len(extracted) >= _SHORT_TEXT:
        return extracted
    # On thin pages trafilatura falls back to the whole body, menus included; the
    # article/main/body without nav/footer/aside holds whatever real text there is.
    return fallback_text(root)


def fallback_text(root: etree._Element) -> str:
    """Text of the page's <article>, else <main>, else <body>, without nav/footer/aside."""
    for path in ("//article", "//main", "//body"):
        found = root.xpath(path)
        if found:
            return element_to_text(found[0], drop_boilerplate=True)
    return element_to_text(root, drop_boilerplate=True)
