"""The fields of one post, as every reader and file parser returns them, and the Post they make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from knowledge.post import Post, make_post_id
from knowledge.readers.fields import title_from_text
from knowledge.speakers import Hint


@dataclass(frozen=True)
class PostFields:
    """What a source says about one post: metadata, clean text and who speaks in it."""

    title: str
    text: str
    url: str = ""
    published: date | None = None
    updated: date | None = None
    tags: tuple[str, ...] = ()
    author: str = ""
    hints: tuple[Hint, ...] = ()  # quoted blocks the markup showed (<blockquote>, '>')

    def to_post(self, *, source: str, id_source: str = "", fallback_title: str = "") -> Post:
        """The Post: id from the URL, else from id_source and the title; a title always."""
        title = self.title or fallback_title or title_from_text(self.text)
        post_id = (make_post_id(url=self.url) if self.url
                   else make_post_id(source=id_source or source, title=title))
        return Post(
            id=post_id, url=self.url, title=title, text=self.text, published=self.published,
            updated=self.updated, tags=self.tags, source=source, author=self.author,
            structural=self.hints,
        )
