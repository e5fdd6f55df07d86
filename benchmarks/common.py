"""Shared pieces of the benchmarks: loading the evaluation archive and its question sets."""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from knowledge.post import Post
from knowledge.readers import read_source


@dataclass(frozen=True)
class Question:
    """One evaluation question with the name of the essay file that answers it."""

    text: str
    gold: str  # file stem of the gold essay ("" when the archive cannot answer it)
    answer: str = ""  # the reference answer, when the set has one
    split: str = ""   # "dev" or "test" for the project's own questions
    style: str = ""   # "verbatim" or "paraphrase" for the project's own questions


def require(path: Path, what: str) -> Path:
    """Exit with a clear message when evaluation data is absent (it is never in the repo)."""
    if not path.exists():
        sys.exit(f"skipped: {what} not found at {path} (see ../shared/data/README.md)")
    return path


def load_posts(archive_dir: Path) -> list[Post]:
    """Read the archive folder with the product's own readers."""
    result = read_source(str(archive_dir))
    for failure in result.failures:
        print(f"  read failure: {failure.source}: {failure.error}", file=sys.stderr)
    return result.posts


def load_questions(path: Path, posts: list[Post]) -> list[Question]:
    """Questions from qa55 (essay), qa25 (reference_article file), qa14 (title) JSON, or the
    project's own sets (benchmarks/questions: essay file or post `title`, `answerable: false`
    for none). A `title` gold is the lower-cased title (the fixture set's posts share files)."""
    by_title = {p.title.strip().lower(): Path(p.source).stem for p in posts}
    out = []
    for item in json.loads(path.read_text()):
        if item.get("answerable") is False:
            out.append(Question(item["question"], "", "", str(item.get("split", ""))))
            continue
        if "title" in item and "essay" not in item:
            gold = str(item["title"]).strip().lower()
        elif "essay" in item:
            gold = Path(item["essay"]).stem
        elif str(item.get("reference_article", "")).endswith(".txt"):
            gold = Path(item["reference_article"]).stem
        else:
            gold = by_title.get(str(item.get("reference_article", "")).strip().lower(), "")
        if gold:
            out.append(Question(item["question"], gold, str(item.get("answer", "")),
                                str(item.get("split", "")), str(item.get("style", ""))))
    return out


def rank_metrics(ranked: list[list[str]], gold: list[str]) -> dict[str, float]:
    """Post-level recall@1, recall@5 and MRR (rank cut at 10)."""
    n = len(gold)
    r1 = sum(1 for r, g in zip(ranked, gold, strict=True) if r[:1] == [g]) / n
    r5 = sum(1 for r, g in zip(ranked, gold, strict=True) if g in r[:5]) / n
    mrr = sum(1 / (r[:10].index(g) + 1) for r, g in zip(ranked, gold, strict=True)
              if g in r[:10]) / n
    return {"R@1": r1, "R@5": r5, "MRR": mrr}


class PlainBM25:
    """The baseline: a pure-Python BM25 over whole posts, lower-cased words, no stemming."""

    def __init__(self, docs: dict[str, str], k1: float = 1.5, b: float = 0.75) -> None:
        self.tfs = {key: Counter(_words(text)) for key, text in docs.items()}
        self.lens = {key: sum(tf.values()) for key, tf in self.tfs.items()}
        self.avg = sum(self.lens.values()) / max(len(self.lens), 1)
        df: Counter[str] = Counter()
        for tf in self.tfs.values():
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def rank(self, query: str) -> list[str]:
        """Document keys, best first."""
        terms = [t for t in _words(query) if t in self.idf]
        scores = {}
        for key, tf in self.tfs.items():
            norm = self.k1 * (1 - self.b + self.b * self.lens[key] / self.avg)
            scores[key] = sum(self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm)
                              for t in terms if t in tf)
        return sorted(scores, key=lambda k: -scores[k])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def figure(name: str, value: float | None, *, unit: str = "", note: str = "",
           peers: dict[str, float] | None = None) -> dict[str, object]:
    """One measured figure for `--json` (peers: the same figure of the baselines run beside)."""
    out: dict[str, object] = {"name": name, "value": value}
    if unit:
        out["unit"] = unit
    if note:
        out["note"] = note
    if peers:
        out["peers"] = peers
    return out


def print_figures(figures: list[dict[str, object]]) -> None:
    """The `--json` output: one last line `{"figures": [...]}` that bench_all.py reads."""
    print(json.dumps({"figures": figures}), flush=True)
