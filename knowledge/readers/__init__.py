"""Readers: turn every kind of source (feeds, exports, sitemaps, pages, files) into Posts."""

from knowledge.readers.blogger_export import read_blogger_export
from knowledge.readers.errors import ReadError
from knowledge.readers.feeds import read_feed, read_feed_url
from knowledge.readers.fetch import FetchedDocument, Fetcher
from knowledge.readers.files import read_path
from knowledge.readers.html_text import html_to_text
from knowledge.readers.sitemap import read_sitemap
from knowledge.readers.sources import read_source, read_sources, read_url
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES
from knowledge.readers.webpage import read_webpage

__all__ = [
    "DEFAULT_MAX_TEXT_BYTES",
    "FetchedDocument",
    "Fetcher",
    "ReadError",
    "html_to_text",
    "read_blogger_export",
    "read_feed",
    "read_feed_url",
    "read_path",
    "read_sitemap",
    "read_source",
    "read_sources",
    "read_url",
    "read_webpage",
]
