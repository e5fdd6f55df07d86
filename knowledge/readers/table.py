"""The one reader table: the reader for each kind of document, the parser for each file suffix.

A new source format is one module and one row: a kind (read from a document's bytes into many
posts) or a suffix (a file holding one post, parsed into PostFields).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from knowledge.post import ReadResult
from knowledge.readers.blogger_export import read_blogger_export
from knowledge.readers.errors import ReadError
from knowledge.readers.feeds import read_feed
from knowledge.readers.fetch import Fetcher
from knowledge.readers.html_file import parse_html_file
from knowledge.readers.markdown_text import parse_markdown
from knowledge.readers.plain_text import parse_plain_text
from knowledge.readers.post_fields import PostFields
from knowledge.readers.sitemap import read_sitemap
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES
from knowledge.readers.webpage import read_webpage


@dataclass(frozen=True)
class Source:
    """Where a document came from, and how far its reader may go."""

    name: str                 # the URL asked for, or the file's absolute path
    final_url: str = ""       # where a fetched page really was (after redirects)
    fetcher: Fetcher | None = None
    remote: bool = False      # fetched over HTTP (a saved file's links are not followed)
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES


Reader = Callable[[bytes, Source], ReadResult]


class Parser(Protocol):
    """A file format holding one post: its decoded text to the post's fields."""

    def __call__(self, text: str, /, *, name: str) -> PostFields: ...


def _feed(content: bytes, source: Source) -> ReadResult:
    # A saved feed file is read as it is: its rel=next links point at the live blog.
    fetcher = source.fetcher if source.remote else None
    return read_feed(content, url=source.name, fetcher=fetcher,
                     max_text_bytes=source.max_text_bytes)


def _export(content: bytes, source: Source) -> ReadResult:
    return read_blogger_export(content, source=source.name, max_text_bytes=source.max_text_bytes)


def _sitemap(content: bytes, source: Source) -> ReadResult:
    if source.fetcher is None:
        raise ReadError(f"{source.name} is a sitemap; reading its pages needs a fetcher")
    return read_sitemap(content, url=source.name, fetcher=source.fetcher,
                        max_text_bytes=source.max_text_bytes)


def _page(content: bytes, source: Source) -> ReadResult:
    return read_webpage(content, url=source.final_url or source.name, source=source.name,
                        max_text_bytes=source.max_text_bytes)


# kind (as sniffed from a document's bytes) -> reader
READERS: dict[str, Reader] = {
    "feed": _feed,
    "blogger-export": _export,
    "sitemap": _sitemap,
    "html": _page,
}

# file suffix -> parser of a one-post file
PARSERS: dict[str, Parser] = {
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html_file,
    ".htm": parse_html_file,
    ".txt": parse_plain_text,
}

# File suffixes of XML documents whose kind their content tells (Takeout's feed.atom, a
# saved .rss feed, an .xml export or sitemap). A page is never read from these.
DOCUMENT_SUFFIXES: dict[str, tuple[str, ...]] = {
    suffix: ("feed", "blogger-export", "sitemap") for suffix in (".xml", ".atom", ".rss")
}


def supported_suffixes() -> frozenset[str]:
    """Every file suffix some row of the table reads."""
    return frozenset(PARSERS) | frozenset(DOCUMENT_SUFFIXES)


def read_document(kind: str, content: bytes, source: Source) -> ReadResult:
    """Read a document with the reader of its kind (KeyError for a kind with no row)."""
    return READERS[kind](content, source)
