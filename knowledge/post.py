"""The Post: one piece of the author's writing, whatever source it came from."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from knowledge.speakers import Hint, Span, speaker_spans


@dataclass(frozen=True)
class Post:
    """One post of the author's archive, as clean text with its metadata."""

    id: str
    title: str
    text: str
    url: str = ""
    published: date | None = None
    updated: date | None = None
    tags: tuple[str, ...] = ()
    source: str = ""
    content_hash: str = field(default="")
    author: str = ""  # from a byline, front matter or feed; "" when the source names nobody
    # What the markup said about who speaks (a <blockquote>, a '>' block); readers fill it.
    structural: tuple[Hint, ...] = field(default=(), repr=False, compare=False)
    # Who speaks where in `text`: always derived from text, hints and author, never passed,
    # so a copy with another text (dataclasses.replace) can never keep stale spans.
    spans: tuple[Span, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One canonical text form (paragraphs split by one blank line, single spaces inside)
        # so that chunks, passages and quotes are exact substrings of the stored post.
        object.__setattr__(self, "text", normalize_paragraphs(self.text))
        if not self.content_hash:
            object.__setattr__(self, "content_hash", compute_content_hash(self))
        object.__setattr__(self, "spans", speaker_spans(
            self.text, structural=self.structural, author=self.author))


@dataclass(frozen=True)
class ReadFailure:
    """A source (or one entry of it) that could not be read, and why."""

    source: str
    error: str


@dataclass
class ReadResult:
    """What a reader produced: the posts it could read and the entries it could not."""

    posts: list[Post] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    # Feeds read whole: every entry they declare was read, without a failure. Only such a
    # read may say that a post missing from it is gone (see knowledge.feed_sync).
    complete: set[str] = field(default_factory=set)

    def extend(self, other: ReadResult) -> None:
        """Append another result's posts and failures to this one."""
        self.posts.extend(other.posts)
        self.failures.extend(other.failures)
        self.complete |= other.complete


def normalize_paragraphs(text: str) -> str:
    """Paragraphs separated by exactly one blank line, whitespace inside each collapsed."""
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_RE.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def canonical_url(url: str) -> str:
    """Normalise a post URL so the same post always gets the same id."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    netloc = parts.netloc.lower()
    # Blogger serves the same post on ?m=1 (mobile) and with tracking params: drop queries.
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, "", ""))


def make_post_id(*, url: str = "", source: str = "", title: str = "") -> str:
    """Stable post id: the canonical URL when there is one, else a hash of source and title."""
    if url:
        return canonical_url(url)
    digest = hashlib.sha256(f"{source}\n{title}".encode()).hexdigest()[:16]
    return f"post-{digest}"


def compute_content_hash(post: Post) -> str:
    """Hash of everything that changes what gets indexed for a post.

    Speaker spans are left out on purpose: they are derived from the text, so an archive
    indexed before spans existed is not re-embedded just to gain them (its chunks are
    labelled when read instead; see knowledge.metadata.passage_spans).
    """
    h = hashlib.sha256()
    for part in (
        post.title,
        post.text,
        post.url,
        post.published.isoformat() if post.published else "",
        ",".join(post.tags),
    ):
        h.update(part.encode())
        h.update(b"\x00")
    if post.author:  # only then: posts from sources that name no author keep their old hash
        h.update(f"author={post.author}".encode())
    return h.hexdigest()[:32]


_SLUG_RE = re.compile(r"[^a-z0-9]+")
_PARAGRAPH_RE = re.compile(r"\n\s*\n")


def slugify(text: str) -> str:
    """Lower-case, dash-separated form of a title (for ids and file names)."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")[:80]
