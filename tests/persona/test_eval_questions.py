"""`avatar eval` reads JSONL and the JSON-list question sets the benchmarks use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from persona.eval_questions import load_questions_file
from persona.evaluation import EvalQuestion


def test_jsonl_as_before(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "Why?", "gold": "post-1", "answer": "Because."}\n\n'
                    '{"question": "Who won?", "answerable": false}\n')
    assert load_questions_file(path) == [
        EvalQuestion("Why?", ("post-1",), True, "Because."),
        EvalQuestion("Who won?", (), False, "")]


def test_json_lists_name_the_gold_post_by_file_or_title(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text(json.dumps([
        {"essay": "altair.txt", "question": "Q1", "answer": "A1"},               # qa55
        {"question": "Q2", "answer": "A2", "reference_article": "startupideas.txt"},  # qa25
        {"question": "Q3", "answer": "A3", "reference_article": "How to Do Great Work"},  # qa14
        {"id": "fx-01", "title": "Ferry Fares and the Commuter ", "question": "Q4"},  # fixture
        {"id": "pg-099", "question": "Q5", "answerable": False, "essay": ""},    # out of archive
    ]))
    assert load_questions_file(path) == [
        EvalQuestion("Q1", ("altair",), True, "A1"),
        EvalQuestion("Q2", ("startupideas",), True, "A2"),
        EvalQuestion("Q3", ("how to do great work",), True, "A3"),
        EvalQuestion("Q4", ("ferry fares and the commuter",), True, ""),
        EvalQuestion("Q5", (), False, ""),
    ]


def test_an_item_without_a_question_is_named(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text('[{"question": "ok"}, {"essay": "x.txt"}]')
    with pytest.raises(ValueError, match="item 2 has no 'question'"):
        load_questions_file(path)
