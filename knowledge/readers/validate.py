"""Check every Post a reader builds, turning a bad one into a ReadFailure with a clear reason."""

from __future__ import annotations

from knowledge.post import Post, ReadFailure, ReadResult
from knowledge.readers.errors import MB, format_size

DEFAULT_MAX_TEXT_BYTES = 1 * MB


def check_post(post: Post, *, max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> str | None:
    """Why a post cannot be ingested, or None when it is fine."""
    label = f'"{post.title}"' if post.title else (post.url or post.source or post.id)
    if not post.text.strip():
        return f"{label} has no text"
    size = len(post.text.encode("utf-8"))
    if size > max_text_bytes:
        return (
            f"{label} is {format_size(size, exact=True)} of text, "
            f"over the {format_size(max_text_bytes)} limit"
        )
    return None


def add_post(
    result: ReadResult, post: Post, *, max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES
) -> None:
    """Append the post to result.posts when it passes check_post, else record why not."""
    error = check_post(post, max_text_bytes=max_text_bytes)
    if error is None:
        result.posts.append(post)
    else:
        result.failures.append(ReadFailure(source=post.url or post.source, error=error))
