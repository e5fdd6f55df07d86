"""The readers' error type and how sizes read in error messages."""

from __future__ import annotations

KB = 1024
MB = 1024 * KB


class ReadError(Exception):
    """A source could not be read; the message says exactly why, for the editor to see."""


def format_size(size: int, *, exact: bool = False) -> str:
    """A size for messages: '12 MB', '1.5 MB', '300 KB', '60 bytes'; exact=True: '5.0 MB'."""
    if size < KB:
        return f"{size} bytes"
    unit, scale = ("MB", MB) if size >= MB else ("KB", KB)
    value = size / scale
    if exact:
        return f"{value:.1f} {unit}"
    if value >= 10 or size % scale == 0:
        return f"{round(value)} {unit}"
    # Limits such as 1.5 MB must not read as "2 MB".
    return f"{value:.1f} {unit}".replace(".0 ", " ")
