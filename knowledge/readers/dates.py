"""Read the many ways posts write their dates into a datetime.date."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_ISO = re.compile(r"^(?P<year>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:$|[T\s])")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$")
_DAY_MONTH_YEAR = re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$")
_MONTH_YEAR = re.compile(rf"^{_MONTH},?\s+{_YEAR}$")
# Words that often stand before a date on its own line ("Posted on March 14, 2019").
_LINE_PREFIX = re.compile(
    r"^(?:(?:posted|published|written|updated|date)(?:\s+on)?\s*:?\s*)", re.IGNORECASE
)


def parse_date(value: str) -> date | None:
    """Parse an ISO, RFC 822 or written-out English date ('March 14, 2019', 'May 2006')."""
    text = value.strip()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        return _make(int(match["year"]), int(match["m"]), int(match["d"]))
    written = _parse_written(text.rstrip(".").strip())
    if written:
        return written
    try:
        # RFC 822 keeps the author's local date: converting to UTC could move it a day.
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def parse_date_line(line: str) -> date | None:
    """A date when the whole line is one (optionally after 'Posted on' etc.), else None."""
    text = _LINE_PREFIX.sub("", line.strip()).strip()
    if not text or len(text) > 40:
        return None
    return parse_date(text)


def coerce_date(value: object) -> date | None:
    """A date from a YAML value, a string, a datetime or a time.struct_time."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time.struct_time):
        return _make(value.tm_year, value.tm_mon, value.tm_mday)
    if isinstance(value, str):
        return parse_date(value)
    return None


def _parse_written(text: str) -> date | None:
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _MONTH_YEAR):
        match = pattern.match(text)
        if not match:
            continue
        month = _MONTHS.get(match["month"].lower())
        if month is None:
            return None
        day = int(match.groupdict().get("day") or 1)
        return _make(int(match["year"]), month, day)
    return None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
