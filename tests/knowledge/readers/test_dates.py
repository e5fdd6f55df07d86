"""Dates as authors and feeds write them."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from knowledge.readers.dates import coerce_date, parse_date, parse_date_line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-03-14", date(2019, 3, 14)),
        # The author's local date is kept: in UTC this would be the 15th.
        ("2019-03-14T23:30:00.001-08:00", date(2019, 3, 14)),
        ("Thu, 14 Mar 2019 23:30:00 -0800", date(2019, 3, 14)),
        ("March 14, 2019", date(2019, 3, 14)),
        ("14 March 2019", date(2019, 3, 14)),
        ("Sept 3rd, 2001", date(2001, 9, 3)),
        ("May 2006", date(2006, 5, 1)),
        ("2019/3/4", date(2019, 3, 4)),
        ("2019-02-30", None),
        ("Maybe 2006", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_date_line_must_be_the_whole_line() -> None:
    assert parse_date_line("Posted on March 14, 2019") == date(2019, 3, 14)
    assert parse_date_line("  May 2006 ") == date(2006, 5, 1)
    assert parse_date_line("In May 2006 I moved to a new city and started again.") is None
    assert parse_date_line("How to Start a Startup") is None


def test_coerce_date_from_yaml_and_feedparser_values() -> None:
    assert coerce_date(date(2020, 1, 2)) == date(2020, 1, 2)
    assert coerce_date(datetime(2020, 1, 2, 23, 59)) == date(2020, 1, 2)
    assert coerce_date(time.strptime("2020-01-02", "%Y-%m-%d")) == date(2020, 1, 2)
    assert coerce_date("January 2, 2020") == date(2020, 1, 2)
    assert coerce_date(2020) is None
