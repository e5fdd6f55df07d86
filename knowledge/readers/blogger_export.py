"""Blogger backup exports: the classic Atom export and the newer Takeout feed.atom. Posts only."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

from knowledge.post import Post, ReadFailure, ReadResult
from knowledge.readers.dates import parse_date
from knowledge.readers.errors import ReadError
from knowledge.readers.fields import clean_author, clean_tags, clean_title
from knowledge.readers.html_text import (
    element_to_text,
    html_to_text_and_quotes,
    normalize_text,
    quote_hints,
)
from knowledge.readers.post_fields import PostFields
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES, add_post
from knowledge.readers.xml_doc import (
    ATOM_NS,
    BLOGGER_2018_NS,
    KIND_SCHEME,
    is_blogger_export,
    local_name,
    parse_xml,
)
from knowledge.speakers import Hint

KIND_POST = "http://schemas.google.com/blogger/2008/kind#post"
_A = f"{{{ATOM_NS}}}"
_B = f"{{{BLOGGER_2018_NS}}}"


def read_blogger_export(
    content: bytes,
    *,
    source: str,
    blog_url: str = "",
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> ReadResult:
    """Read the published posts of a Blogger export; comments, pages, drafts etc. are skipped.

    blog_url (e.g. https://name.blogspot.com) turns Takeout's relative file names into post
    URLs when the export itself does not carry the blog's address.
    """
    root = parse_xml(content, name=source)
    if not is_blogger_export(root):
        raise ReadError(f"{source} is not a Blogger export")
    base = blog_url or _feed_alternate(root)
    result = ReadResult()
    for index, entry in enumerate(root.iterfind(f"{_A}entry"), start=1):
        try:
            if not is_live_post(entry):
                continue
            post = entry_to_post(entry, source=source, blog_url=base)
        except Exception as exc:  # one bad entry must never stop the rest of the export
            where = _text(entry, f"{_A}id") or f"entry {index}"
            message = str(exc) if isinstance(exc, ReadError) else f"could not read entry: {exc}"
            result.failures.append(ReadFailure(source=f"{source} ({where})", error=message))
            continue
        add_post(result, post, max_text_bytes=max_text_bytes)
    return result


def is_live_post(entry: etree._Element) -> bool:
    """True for a published post in either export format."""
    kind = entry.findtext(f"{_B}type")
    if kind is not None:  # Takeout: <blogger:type>POST</blogger:type>, <blogger:status>LIVE
        status = (entry.findtext(f"{_B}status") or "LIVE").strip().upper()
        return kind.strip().upper() == "POST" and status == "LIVE"
    terms = [c.get("term", "") for c in entry.iterfind(f"{_A}category[@scheme='{KIND_SCHEME}']")]
    return KIND_POST in terms and not _is_draft(entry)


def entry_to_post(entry: etree._Element, *, source: str, blog_url: str = "") -> Post:
    """Build a Post from one export entry; ReadError when it has neither title nor text."""
    # Takeout writes HTML (even escaped entities in titles) without saying type='html'.
    default = "html" if entry.find(f"{_B}type") is not None else "text"
    title = clean_title(_rich_text(entry.find(f"{_A}title"), default)[0])
    text, hints = _rich_text(entry.find(f"{_A}content"), default)
    if not title and not text:
        raise ReadError("entry has no title and no content")
    published = parse_date(_text(entry, f"{_A}published"))
    updated = parse_date(_text(entry, f"{_A}updated"))
    tags = clean_tags(
        c.get("term") for c in entry.iterfind(f"{_A}category") if c.get("scheme") != KIND_SCHEME
    )
    fields = PostFields(
        title=title,
        text=text,
        url=_post_url(entry, blog_url),
        published=published or updated,
        updated=updated,
        tags=tags,
        author=clean_author(entry.findtext(f"{_A}author/{_A}name")),
        hints=hints,
    )
    return fields.to_post(source=source, id_source=_text(entry, f"{_A}id") or source)


def _is_draft(entry: etree._Element) -> bool:
    # <app:control><app:draft>yes</app:draft></app:control>; the app namespace varies by age.
    for control in entry:
        if local_name(control) == "control":
            for child in control:
                if local_name(child) == "draft" and (child.text or "").strip().lower() == "yes":
                    return True
    return False


def _post_url(entry: etree._Element, blog_url: str) -> str:
    for link in entry.iterfind(f"{_A}link"):
        href = link.get("href", "")
        if link.get("rel", "alternate") == "alternate" and href.startswith(("http://", "https://")):
            return href
    filename = _text(entry, f"{_B}filename")
    if filename and blog_url:
        return urljoin(blog_url.rstrip("/") + "/", filename.lstrip("/"))
    return ""


def _feed_alternate(root: etree._Element) -> str:
    for link in root.iterfind(f"{_A}link"):
        href = link.get("href", "")
        if link.get("rel") == "alternate" and href.startswith(("http://", "https://")):
            return href
    return ""


def _rich_text(element: etree._Element | None, default: str) -> tuple[str, tuple[Hint, ...]]:
    """Text of an Atom text construct (type text, html or xhtml), and its quoted blocks."""
    if element is None:
        return "", ()
    kind = element.get("type", default)
    if kind == "xhtml":
        return element_to_text(element), quote_hints(element)
    if kind == "html" or kind.endswith("/html"):
        return html_to_text_and_quotes(element.text or "")
    return normalize_text(element.text or ""), ()


def _text(entry: etree._Element, path: str) -> str:
    return (entry.findtext(path) or "").strip()
