"""Blogger-shaped Atom feeds for sync tests: paged by rel=next, sized by openSearch:totalResults.

Posts are fictional (a made-up author, made-up words); serve the pages with StaticServer.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from tests.support.static_server import Route, StaticServer

FEED_PATH = "/feeds/posts/default"


@dataclass(frozen=True)
class Entry:
    """One feed entry: its web page, title, HTML body and date."""

    url: str
    title: str
    html: str
    published: str  # ISO date

    def to_xml(self, number: int) -> str:
        return (f"<entry><id>tag:blogger.com,1999:blog-77.post-{number}</id>"
                f"<published>{self.published}T08:00:00.000+05:30</published>"
                f"<title type='text'>{escape(self.title)}</title>"
                f"<content type='html'>{escape(self.html)}</content>"
                f"<link rel='alternate' type='text/html' href='{escape(self.url)}'/>"
                f"<author><name>Alex Doe</name></author></entry>")


def entry(url: str, title: str, paragraphs: list[str], published: str) -> Entry:
    """An entry whose body is the paragraphs and the author's sign-off."""
    body = "".join(f"<p>{escape(p)}</p>" for p in [*paragraphs, "With regards, Alex Doe"])
    return Entry(url, title, body, published)


def page_path(start: int, per_page: int, path: str = FEED_PATH) -> str:
    """The path (with query) of the page starting at entry number `start` (1-based)."""
    return path if start == 1 else f"{path}?start-index={start}&max-results={per_page}"


def serve_feed(server: StaticServer, entries: list[Entry | str], *, path: str = FEED_PATH,
               per_page: int = 2, total: int | None = None) -> str:
    """Serve entries as a paged Blogger feed at path (a str is raw entry XML); its URL.

    `total` is the size the feed declares (default: how many entries it serves).
    """
    declared = len(entries) if total is None else total
    starts = list(range(1, max(len(entries), 1) + 1, per_page))
    for i, start in enumerate(starts):
        chunk = entries[start - 1 : start - 1 + per_page]
        more = ""
        if i + 1 < len(starts):
            following = server.base_url + page_path(starts[i + 1], per_page, path)
            more = f"<link rel='next' type='application/atom+xml' href='{escape(following)}'/>"
        body = "".join(e if isinstance(e, str) else e.to_xml(start + n)
                       for n, e in enumerate(chunk))
        xml = ("<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
               "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/'>"
               "<id>tag:blogger.com,1999:blog-77</id><title type='text'>Alex Doe</title>"
               f"{more}<openSearch:totalResults>{declared}</openSearch:totalResults>"
               f"<openSearch:startIndex>{start}</openSearch:startIndex>"
               f"<openSearch:itemsPerPage>{per_page}</openSearch:itemsPerPage>{body}</feed>")
        server.add_route(page_path(start, per_page, path),
                         Route(body=xml.encode(), content_type="application/atom+xml"))
    return server.url(path)
