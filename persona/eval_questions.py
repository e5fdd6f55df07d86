"""Evaluation questions from a file: the JSONL of `avatar eval`, or a JSON list of the shapes
the benchmarks use (the project's benchmarks/questions/*.json and the shared pg-qa sets)."""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any

from persona.evaluation import EvalQuestion, load_questions_jsonl


def load_questions_file(path: Path) -> list[EvalQuestion]:
    """Questions from a JSONL file (one object a line) or a JSON list of question objects."""
    text = path.read_text(encoding="utf-8")
    if not text.lstrip().startswith("["):
        return load_questions_jsonl(text.splitlines())
    items = json.loads(text)
    out = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or "question" not in item:
            raise ValueError(f"{path.name}: item {number} has no 'question'")
        out.append(from_list_item(item))
    return out


def from_list_item(item: dict[str, Any]) -> EvalQuestion:
    """One JSON-list question; its gold post is named by file (`essay`, a `reference_article`
    ending in .txt), by title (`title`, any other `reference_article`) or by `gold`."""
    answerable = item.get("answerable", True) is not False
    gold: list[str] = []
    if isinstance(item.get("gold"), list | str):
        gold = [item["gold"]] if isinstance(item["gold"], str) else list(item["gold"])
    elif item.get("essay"):
        gold = [PurePath(str(item["essay"])).stem]
    elif item.get("reference_article"):
        ref = str(item["reference_article"])
        gold = [PurePath(ref).stem if ref.endswith(".txt") else ref.strip().lower()]
    elif item.get("title"):
        gold = [str(item["title"]).strip().lower()]
    return EvalQuestion(question=str(item["question"]),
                        gold=tuple(gold) if answerable else (),
                        answerable=answerable, answer=str(item.get("answer", "")))
