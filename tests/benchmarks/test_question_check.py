"""The question-file checker flags what it must: rare shared words, missing passages, copies."""

from __future__ import annotations

from pathlib import Path

from benchmarks.question_check import check, load_essays, yardstick_essays

COPY = "floated slowly over the quiet little town while all the people stood and watched it"
BODY = "Written by Paul Graham\n\n{title}\n\nMay 2020\n\n{text}\n"


def _essays(tmp_path: Path) -> Path:
    """Three tiny essays; 'zeppelin' occurs in one of them only, so it is rare."""
    texts = {
        "a.txt": ("Airships", f"The zeppelin {COPY}."),
        "b.txt": ("Boats", "Boats float on water and people watch them from the town."),
        "c.txt": ("Cars", "Cars drive through the town and people rarely watch them."),
    }
    for name, (title, text) in texts.items():
        (tmp_path / name).write_text(BODY.format(title=title, text=text))
    return tmp_path


def _item(**over: object) -> dict:
    base = {"id": "q1", "split": "dev", "essay": "a.txt", "title": "Airships",
            "question": "What hovered above the village?", "answer": "An airship.",
            "style": "paraphrase", "passage_start": "The zeppelin floated slowly"}
    return {**base, **over}


def test_a_clean_paraphrase_passes(tmp_path: Path) -> None:
    assert check([_item()], load_essays(_essays(tmp_path)), set()) == []


def test_offenders_are_reported(tmp_path: Path) -> None:
    essays = load_essays(_essays(tmp_path))
    fails = check([
        _item(id="rare", question="What did the zeppelin do?"),
        _item(id="lost", passage_start="no such words in the essay"),
        _item(id="copy", answer=f"It {COPY}."),
        _item(id="used"),
        {"id": "out", "split": "test", "question": "Who won the cup?", "answerable": False},
    ], essays, {"a.txt"})
    text = "\n".join(fails)
    assert "rare: paraphrase shares rare words with its passage: ['zeppelin']" in text
    assert "lost: passage_start not found" in text
    assert "copy: answer copies the essay" in text
    assert "used: a.txt is asked about" in text
    assert "out:" not in text


def test_yardsticks_resolve_file_names_and_titles(tmp_path: Path) -> None:
    essays = load_essays(_essays(tmp_path))
    qa = tmp_path / "qa.json"
    qa.write_text('[{"essay": "b.txt"}, {"reference_article": "Cars"}]')
    assert yardstick_essays([qa], essays) == {"b.txt", "c.txt"}
