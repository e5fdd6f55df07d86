"""A saved .html post: title from <title>/<h1>, date from meta tags or a date line, main text."""

from __future__ import annotations

from lxml import etree

from knowledge.readers.dates import parse_date_line
from knowledge.readers.html_meta import (
    canonical_link,
    first_h1,
    meta_published,
    meta_tags,
    meta_updated,
    page_title,
)
from knowledge.readers.html_text import quote_hints
from knowledge.readers.post_fields import PostFields
from knowledge.readers.webpage import choose_text, extract_main, without_chrome

_DATE_LINE_SEARCH = 3  # paragraphs at the top of the text that may be a date line


def parse_html_file(html: str, *, name: str = "") -> PostFields:
    """Title, dates, canonical URL, tags, main text and quoted blocks of an HTML file."""
    root, page = without_chrome(html)
    if root is None:
        return PostFields(title="", text="")
    extracted = extract_main(page, url="")
    text = choose_text(extracted[1] if extracted else "", root)
    title = _title(root)
    paragraphs = text.split("\n\n")
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    published = meta_published(root)
    if published is None:
        # "March 14, 2019" on a line of its own near the top is the post's date.
        for index, paragraph in enumerate(paragraphs[:_DATE_LINE_SEARCH]):
            found = parse_date_line(paragraph)
            if found:
                published = found
                del paragraphs[index]
                break
    return PostFields(
        title=title,
        text="\n\n".join(paragraphs),
        url=canonical_link(root),
        published=published or (extracted[2] if extracted else None),
        updated=meta_updated(root),
        tags=meta_tags(root),
        hints=quote_hints(root),
    )


def _title(root: etree._Element) -> str:
    """<title>, except when it is the <h1> plus the site's name ('Post | Blog'): then the <h1>."""
    title = page_title(root)
    heading = first_h1(root)
    if heading and (not title or (heading in title and heading != title)):
        return heading
    return title
