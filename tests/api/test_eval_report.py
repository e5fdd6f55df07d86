"""`avatar eval --report DIR` over the sample blog: report.md and a PNG comparing runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from api import eval_chart, eval_runs
from api.cli import main
from knowledge.archive import Archive
from knowledge.post import Post
from tests.api.conftest import FAKE_MODEL
from tests.fakes import OpenAIFake
from tests.support.embedders import MemoEmbedder
from tests.support.sample import ONNX_NAME

QUESTIONS = [
    {"question": "Should companies pay for the open-source software they depend on?",
     "gold": ["2016-06-06-who-pays-for-the-plumbing"],
     "answer": "Companies should pay the maintainers of the software they use."},
    {"question": "Why did you change your mind about nuclear power?",
     "gold": ["2015-01-26-why-i-changed-my-mind-about-nuclear-power"]},
    {"question": "Who won the 1998 football world cup?", "answerable": False},
]
# The same kind of questions as a JSON list naming the post by title (benchmarks' shape).
TITLED = [{"question": "What did one winter with a heat pump in an old rowhouse teach you?",
           "title": "One Winter with a Heat Pump in a 1930s Rowhouse"},
          {"question": "What is the best sourdough starter recipe?", "answerable": False}]
BLUE, ORANGE = (0x1F, 0x77, 0xB4), (0xFF, 0x7F, 0x0E)  # tab10's first two: runs 1 and 2


@pytest.fixture
def data_dir(tmp_path: Path, onnx_dir: Path, embedder: MemoEmbedder,
             sample_posts: list[Post]) -> Path:
    """A data dir of the sample blog with the exported model, as the CLI opens it."""
    folder = tmp_path / "data"
    (folder / "models").mkdir(parents=True)
    shutil.copyfile(onnx_dir / ONNX_NAME, folder / "models" / ONNX_NAME)
    Archive.open(folder, embedder=embedder).ingest(sample_posts)
    return folder


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: OpenAIFake) -> None:
    """Both models allowed, no fallback (a failing model must show, not be replaced)."""
    monkeypatch.setenv("AVATAR_DEFAULT_MODEL", "extractive")
    monkeypatch.setenv("AVATAR_MODELS", f"extractive,{FAKE_MODEL}")
    monkeypatch.setenv("AVATAR_FALLBACK_MODELS", "")
    monkeypatch.chdir(tmp_path)  # no .env here


def _pixels(path: Path) -> set[tuple[int, int, int]]:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        return {colour for _, colour in rgb.getcolors(rgb.width * rgb.height) or []}


@pytest.mark.usefixtures("cli_env")
def test_two_models_side_by_side_then_a_later_run_beside_them(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in QUESTIONS) + "\n")
    report = tmp_path / "report"

    code = main(["--data-dir", str(data_dir), "eval", str(questions), "--model", "extractive",
                 "--model", FAKE_MODEL, "--report", str(report), "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert code == 0, lines
    assert [line["model"] for line in lines] == ["extractive", FAKE_MODEL]
    for line in lines:
        assert line["citations_retrieved"] == 1.0 and line["quotes_verbatim"] == 1.0, line
        assert line["declined_unanswerable"] == 1.0 and line["declined_answerable"] == 0.0
    assert lines[0]["gold_cited"] == 1.0

    runs = eval_runs.load_runs(report)
    assert [r["model"] for r in runs] == ["extractive", FAKE_MODEL]
    assert all(r["n"] == len(QUESTIONS) and r["latency_p50_s"] > 0 for r in runs)
    text = (report / "report.md").read_text()
    assert "![runs side by side](chart.png)" in text
    assert "| figure | 1 | 2 |" in text
    assert "| citations retrieved (higher is better) | 1.000 | 1.000 |" in text
    assert "| unanswerable declined (higher is better) | 1.000 | 1.000 |" in text
    assert f"| 2 | {FAKE_MODEL} | questions.jsonl | 3 |" in text
    colours = _pixels(report / "chart.png")
    assert BLUE in colours and ORANGE in colours  # both runs' bars are drawn

    titled = tmp_path / "titled.json"
    titled.write_text(json.dumps(TITLED))
    assert main(["--data-dir", str(data_dir), "eval", str(titled), "--report",
                 str(report)]) == 0
    assert "3 runs" in capsys.readouterr().out
    text = (report / "report.md").read_text()
    assert "| figure | 1 | 2 | 3 |" in text
    assert "| 3 | extractive | titled.json | 2 |" in text
    assert eval_runs.load_runs(report)[-1]["report"]["gold_cited"] == 1.0  # found by title
    with Image.open(report / "chart.png") as image:
        assert image.format == "PNG" and image.width >= 800 and image.height >= 400


def test_the_chart_draws_the_latest_runs_in_order(tmp_path: Path) -> None:
    base = {"questions": "q.jsonl", "n": 4, "latency_p50_s": 0.2, "latency_mean_s": 0.3,
            "report": {"citations_retrieved": 1.0, "quotes_verbatim": 0.5, "gold_cited": None,
                       "declined_answerable": 0.0, "declined_unanswerable": 1.0,
                       "answer_recall": 0.4, "failures": []}}
    runs = [{**base, "model": f"m{i}", "when": f"2026-12-0{i}T10:00:00+00:00"}
            for i in range(1, 10)]
    names = eval_chart.draw(runs, tmp_path / "chart.png")
    assert names == [eval_runs.label(r) for r in runs[-eval_chart.MAX_RUNS:]]
    assert names[0].startswith("m2 · q.jsonl (12-02 10:00")
    with Image.open(tmp_path / "chart.png") as image:
        image.verify()


def test_runs_made_within_one_second_keep_their_order(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)
    for i, model in enumerate(["extractive", "openai:gpt-x", "extractive"]):
        run = eval_runs.run_record(model, Path("q.json"), {}, [0.1],
                                   when=moment.replace(microsecond=1000 * (i + 1)))
        eval_runs.save_run(tmp_path, run)
    runs = eval_runs.load_runs(tmp_path)
    assert [r["model"] for r in runs] == ["extractive", "openai:gpt-x", "extractive"]
    assert "| 2026-12-02T10:00:00+00:00 |" in eval_runs.markdown(runs, "chart.png")
