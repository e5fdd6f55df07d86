"""Local files and folders: .md, .html/.htm, .txt, and XML feeds, exports and sitemaps."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from knowledge.post import Post, ReadFailure, ReadResult
from knowledge.readers.decode import decode_text
from knowledge.readers.errors import MB, ReadError, format_size
from knowledge.readers.fetch import Fetcher
from knowledge.readers.table import (
    DOCUMENT_SUFFIXES,
    PARSERS,
    Source,
    read_document,
    supported_suffixes,
)
from knowledge.readers.validate import DEFAULT_MAX_TEXT_BYTES, add_post
from knowledge.readers.xml_doc import sniff_xml_kind

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
    if path.suffix.lower() not in supported_suffixes():
        kinds = ", ".join(sorted(supported_suffixes()))
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
    suffixes = supported_suffixes()
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            file = Path(directory) / name
            if not name.startswith(".") and file.suffix.lower() in suffixes:
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
        suffix = path.suffix.lower()
        if suffix in DOCUMENT_SUFFIXES:
            source = Source(str(path.resolve()), fetcher=fetcher, max_text_bytes=max_text_bytes)
            return read_document_file(data, path=path, kinds=DOCUMENT_SUFFIXES[suffix],
                                      source=source)
        post = text_file_to_post(decode_text(data, name=str(path)), path=path, id_source=id_source)
    except ReadError as exc:
        return _failure(path, str(exc))
    result = ReadResult()
    add_post(result, post, max_text_bytes=max_text_bytes)
    return result


def text_file_to_post(text: str, *, path: Path, id_source: str) -> Post:
    """Build a Post from the decoded text of a one-post file, by its suffix's parser."""
    fields = PARSERS[path.suffix.lower()](text, name=str(path))
    return fields.to_post(source=str(path.resolve()), id_source=id_source,
                          fallback_title=_title_from_name(path))


def read_document_file(data: bytes, *, path: Path, kinds: tuple[str, ...],
                       source: Source) -> ReadResult:
    """A file that is a document of one of `kinds` (a feed, an export...), by its content."""
    if not data.strip():
        raise ReadError(f"{path} is empty")
    kind = sniff_xml_kind(data)
    if kind not in kinds:
        raise ReadError(f"{path} is not a feed, Blogger export or sitemap")
    return read_document(kind, data, source)


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
