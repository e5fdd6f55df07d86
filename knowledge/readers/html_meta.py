"""Metadata a web page states about itself: title, date, canonical URL and tags."""

from __future__ import annotations

from datetime import date

from lxml import etree

from knowledge.readers.dates import parse_date
from knowledge.readers.fields import clean_tags, clean_title

# Meta names/properties that carry the publication date, most specific first.
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publish-date",
    "publish_date",
    "sailthru.date",
)
_UPDATED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified")
_TAG_META = ("article:tag", "keywords", "news_keywords")


def page_title(root: etree._Element) -> str:
    """The page's <title>, else its first <h1>, else ''."""
    for path in ("//title", "//h1"):
        for element in root.xpath(path):
            title = clean_title(element.text_content())
            if title:
                return title
    return ""


def first_h1(root: etree._Element) -> str:
    """The first non-empty <h1> (often the post title without the site name)."""
    for element in root.xpath("//h1"):
        title = clean_title(element.text_content())
        if title:
            return title
    return ""


def meta_published(root: etree._Element) -> date | None:
    """Publication date from meta tags, itemprop=datePublished or a <time datetime>."""
    found = _meta_date(root, _DATE_META)
    if found:
        return found
    for element in root.xpath("//*[@itemprop='datePublished']|//time[@datetime]"):
        value = element.get("content") or element.get("datetime") or ""
        found = parse_date(value)
        if found:
            return found
    return None


def meta_updated(root: etree._Element) -> date | None:
    """Modification date from meta tags."""
    return _meta_date(root, _UPDATED_META)


def canonical_link(root: etree._Element) -> str:
    """The page's <link rel=canonical> or og:url, when absolute http(s)."""
    for value in (*root.xpath("//link[@rel='canonical']/@href"), *_meta_values(root, ("og:url",))):
        href = str(value).strip()
        if href.startswith(("http://", "https://")):
            return href
    return ""


def meta_tags(root: etree._Element) -> tuple[str, ...]:
    """Tags from article:tag and keywords meta tags."""
    return clean_tags(_meta_values(root, _TAG_META))


def _meta_date(root: etree._Element, names: tuple[str, ...]) -> date | None:
    for value in _meta_values(root, names):
        found = parse_date(value)
        if found:
            return found
    return None


def _meta_values(root: etree._Element, names: tuple[str, ...]) -> list[str]:
    """Contents of <meta name|property|itemprop=...>, in the order of names given."""
    by_name: dict[str, list[str]] = {}
    for meta in root.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        by_name.setdefault(key.strip(), []).append(meta.get("content", ""))
    return [value for name in names for value in by_name.get(name, [])]
