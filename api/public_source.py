"""What `source` may say in a reply: a public URL or a folder-relative path, never a server path."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from api.services import sample_blog_path


def public_source(source: str, url: str = "") -> str:
    """The post's public URL when it has one; else the source URL, or a file's relative path."""
    if url.lower().startswith(("http://", "https://")):
        return url
    if source.lower().startswith(("http://", "https://")):
        return source
    if not source:
        return ""
    path = PurePath(source)
    if not path.is_absolute():
        return path.as_posix()
    sample = PurePath(sample_blog_path())
    if path.is_relative_to(sample):
        return path.relative_to(sample).as_posix()
    # The ingested folder is not recorded with the post: the file's own name is all we may say.
    return path.name


def cleaned(item: dict[str, Any]) -> dict[str, Any]:
    """A citation or search hit (JSON) with its `source` made public."""
    return {**item, "source": public_source(str(item.get("source") or ""),
                                            str(item.get("url") or ""))}
