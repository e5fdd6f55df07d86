"""A follow-up's search text keeps the new question whole, however long the earlier turn."""

from __future__ import annotations

from persona.query_text import standalone_query

NEW = "What about open source funding?"


def test_a_long_earlier_turn_never_cuts_the_new_question() -> None:
    earlier = "Tell me about nuclear power and grid storage. " * 80
    query = standalone_query(earlier, NEW)
    assert query.endswith(NEW)
    assert len(query) <= 2000
    assert "nuclear" in query  # the earlier subject still helps, as far as it fits


def test_the_latest_part_of_the_earlier_text_is_kept() -> None:
    earlier = "old subject " * 300 + "heat pumps in a rowhouse"
    query = standalone_query(earlier, NEW, limit=100)
    assert query.endswith(NEW) and "heat pumps in a rowhouse" in query
    assert len(query) <= 100


def test_a_message_longer_than_the_limit_is_kept_whole_alone() -> None:
    message = "why " * 600
    assert standalone_query("earlier", message, limit=2000) == message.strip()


def test_no_earlier_text_is_just_the_message() -> None:
    assert standalone_query("", f"  {NEW} ") == NEW
