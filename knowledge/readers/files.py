"""Local files and folders: .md, .html/.htm, .txt, and XML feeds, exports and sitemaps."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from knowledge.post import Post, ReadFailure, ReadResult, make_post_id
from knowledge.readers.blogger_export import read_blogger_export
from knowledge.readers.decode import decode_text
from knowledge.readers.errors import MB, ReadError, format_size
from knowledge.readers.feeds import read_feed
from knowledge.readers.fetch import Fetcher
from knowledge.readers.fields import title_from_text
from knowledge.readers.html_file import parse_html_file
from knowledge.readers.markdown_text import parse_markdown
from knowledge.readers.plain_text import parse_plain_text
from knowledge.readers.sitemap import read_sitemap
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES, add_post
from knowledge.readers.xml_doc import sniff_xml_kind

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})
# Takeout names a blog's export feed.atom; saved feeds may end in .rss.
XML_SUFFIXES = frozenset({".xml", ".atom", ".rss"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | XML_SUFFIXES
DEFAULT_MAX_FILE_BYTES = 512 * MB  # a whole blog's export can be large; a single post is not


def read_path(
    path: str | Path,
    *,
    fetcher: Fetcher | None = None,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> ReadResult:
    """Read one file, or every supported file under a folder (recursively, hidden ones skipped)."""
    path = Path(path)
    if path.is_dir():
        result = ReadResult()
        for file in iter_post_files(path):
            result.extend(read_file(
                file,
                id_source=file.relative_to(path).as_posix(),
                fetcher=fetcher,
                max_text_bytes=max_text_bytes,
                max_file_bytes=max_file_bytes,
            ))
        return result
    if not path.is_file():
        return _failure(path, f"{path} is not a file or folder")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return _failure(path, f"{path} is not a supported file type (use {kinds})")
    return read_file(
        path,
        id_source=path.name,
        fetcher=fetcher,
        max_text_bytes=max_text_bytes,
        max_file_bytes=max_file_bytes,
    )


def iter_post_files(folder: Path) -> Iterator[Path]:
    """Supported files under a folder, in a stable order, skipping hidden files and folders."""
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            file = Path(directory) / name
            if not name.startswith(".") and file.suffix.lower() in SUPPORTED_SUFFIXES:
                yield file


def read_file(
    path: Path,
    *,
    id_source: str,
    fetcher: Fetcher | None = None,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> ReadResult:
    """Read one supported file; id_source (a relative path) keeps ids stable across machines."""
    try:
        data = _read_bytes(path, max_file_bytes)
        if path.suffix.lower() in XML_SUFFIXES:
            return read_xml_file(data, path=path, fetcher=fetcher, max_text_bytes=max_text_bytes)
        post = text_file_to_post(decode_text(data, name=str(path)), path=path, id_source=id_source)
    except ReadError as exc:
        return _failure(path, str(exc))
    result = ReadResult()
    add_post(result, post, max_text_bytes=max_text_bytes)
    return result


def text_file_to_post(text: str, *, path: Path, id_source: str) -> Post:
    """Build a Post from the decoded text of a .md, .html/.htm or .txt file."""
    suffix = path.suffix.lower()
    source = str(path.resolve())
    url = ""
    updated = None
    tags: tuple[str, ...] = ()
    author = ""
    if suffix in (".md", ".markdown"):
        md = parse_markdown(text, name=str(path))
        title, body, url, published, updated, tags, author = (
            md.title, md.text, md.url, md.published, md.updated, md.tags, md.author
        )
    elif suffix in (".html", ".htm"):
        page = parse_html_file(text)
        title, body, url, published, updated, tags = (
            page.title, page.text, page.url, page.published, page.updated, page.tags
        )
    else:
        parts = parse_plain_text(text)
        title, body, published, author = parts.title, parts.body, parts.published, parts.author
    title = title or _title_from_name(path) or title_from_text(body)
    return Post(
        id=make_post_id(url=url) if url else make_post_id(source=id_source, title=title),
        url=url,
        title=title,
        text=body,
        published=published,
        updated=updated,
        tags=tags,
        source=source,
        author=author,
    )


def read_xml_file(
    data: bytes, *, path: Path, fetcher: Fetcher | None, max_text_bytes: int
) -> ReadResult:
    """An XML file that is a feed, a Blogger export or a sitemap, by what its root says."""
    name = str(path)
    if not data.strip():
        raise ReadError(f"{name} is empty")
    source = str(path.resolve())
    kind = sniff_xml_kind(data)
    if kind == "blogger-export":
        return read_blogger_export(data, source=source, max_text_bytes=max_text_bytes)
    if kind == "feed":
        return read_feed(data, url=source, max_text_bytes=max_text_bytes)
    if kind == "sitemap":
        if fetcher is None:
            raise ReadError(f"{name} is a sitemap; reading its pages needs a fetcher")
        return read_sitemap(data, url=source, fetcher=fetcher, max_text_bytes=max_text_bytes)
    raise ReadError(f"{name} is not a feed, Blogger export or sitemap")


def _read_bytes(path: Path, max_file_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            raise ReadError(
                f"{path} is {format_size(size)}, over the {format_size(max_file_bytes)} "
                "limit"
            )
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"could not read {path}: {exc.strerror or exc}") from exc


def _title_from_name(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip()


def _failure(path: Path, error: str) -> ReadResult:
    return ReadResult(failures=[ReadFailure(source=str(path.resolve()), error=error)])
