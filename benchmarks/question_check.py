"""Validate the question files against the essays: question_check.py ESSAYS_DIR [--exclude QA...].

Checks every answerable question's essay exists and is none of the yardstick sets' essays (qa55,
qa25, qa14 paths as --exclude), that each passage_start is found in its essay, that no paraphrased
question shares a rare word (document frequency <= RARE_DF essays, stemmed, stop words removed)
with its answer passage, and that no answer or question copies EXCERPT_WORDS words in a row from
the essay. Prints counts per split and style, then a plain whole-essay BM25 recall@5 by style.
Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import Stemmer

RARE_DF = 20  # a word in at most this many essays is rare
PASSAGE_WORDS = 80  # the answer passage: this many words from passage_start
EXCERPT_WORDS = 13  # a verbatim run this long from an essay is a quote we may not store
HERE = Path(__file__).resolve().parent / "questions"
STOP = set("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each even ever few
for from further get gets got had has have having he her here hers him his how i if in into is it
its itself just like make makes many may me might more most much must my no nor not now of off on
once one only or other our ours out over own per same says she should so some such than that the
their them then there these they this those through to too under until up us very was way we were
what when where which while who whom why will with would you your yours""".split())
_stem = Stemmer.Stemmer("english").stemWord


def words(text: str) -> list[str]:
    """Lower-cased words and numbers (apostrophes and dashes split words)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def content_stems(text: str) -> set[str]:
    """Stems of the non-stop words of a text."""
    return {_stem(w) for w in words(text) if w not in STOP}


def load_essays(folder: Path) -> dict[str, tuple[str, str]]:
    """File name -> (title, text) for every essay; the title is the second non-empty line."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        out[path.name] = (lines[1] if len(lines) > 1 else "", text)
    return out


def yardstick_essays(paths: list[Path], essays: dict[str, tuple[str, str]]) -> set[str]:
    """Essay file names the qa55/qa25/qa14 sets ask about (by file name or by title)."""
    by_title = {title.lower(): name for name, (title, _) in essays.items()}
    used = set()
    for path in paths:
        for item in json.loads(path.read_text()):
            ref = str(item.get("essay") or item.get("reference_article") or "").strip()
            used.add(ref if ref.endswith(".txt") else by_title.get(ref.lower(), "?" + ref))
    return used


def passage(text: str, start: str) -> str | None:
    """PASSAGE_WORDS words of the essay from the locator on, or None when it is not found."""
    flat = " ".join(text.split())
    at = flat.find(" ".join(start.split()))
    return None if at < 0 else " ".join(flat[at:].split()[:PASSAGE_WORDS])


def copied_run(snippet: str, essay_words: str) -> str | None:
    """The first EXCERPT_WORDS-word run of snippet found verbatim in the essay, if any."""
    ws = words(snippet)
    for i in range(len(ws) - EXCERPT_WORDS + 1):
        run = " ".join(ws[i:i + EXCERPT_WORDS])
        if f" {run} " in essay_words:
            return run
    return None


def bm25_ranker(essays: dict[str, tuple[str, str]]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """IDF-ready document frequencies and term counts: plain BM25 words, no stemming."""
    tfs = {name: Counter(words(text)) for name, (_, text) in essays.items()}
    df: Counter[str] = Counter()
    for tf in tfs.values():
        df.update(tf.keys())
    return df, tfs


def bm25_rank(query: str, df: Counter[str], tfs: dict[str, Counter[str]]) -> list[str]:
    """Essay names best first, BM25 k1=1.5 b=0.75 over whole essays."""
    n, lens = len(tfs), {k: sum(tf.values()) for k, tf in tfs.items()}
    avg = sum(lens.values()) / n
    terms = [t for t in words(query) if t in df]
    scores = {}
    for key, tf in tfs.items():
        norm = 1.5 * (0.25 + 0.75 * lens[key] / avg)
        scores[key] = sum(math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * tf[t] * 2.5
                          / (tf[t] + norm) for t in terms if t in tf)
    return sorted(scores, key=lambda k: -scores[k])


def check(items: list[dict], essays: dict[str, tuple[str, str]], banned: set[str]) -> list[str]:
    """Every failure, one line each."""
    df: Counter[str] = Counter()
    for _, text in essays.values():
        df.update(content_stems(text))
    flat_words = {name: " " + " ".join(words(text)) + " " for name, (_, text) in essays.items()}
    fails, seen = [], set()
    for q in items:
        qid = q.get("id", "?")
        if qid in seen:
            fails.append(f"{qid}: duplicate id")
        seen.add(qid)
        if q.get("split") not in ("dev", "test"):
            fails.append(f"{qid}: split must be dev or test")
        if q.get("answerable", True) is False:
            if "essay" in q or not q.get("question"):
                fails.append(f"{qid}: out-of-archive items carry a question and no essay")
            continue
        if not q.get("question") or not q.get("answer"):
            fails.append(f"{qid}: question and answer are required")
        name = q.get("essay", "")
        if name not in essays:
            fails.append(f"{qid}: essay {name!r} not in the archive")
            continue
        if name in banned:
            fails.append(f"{qid}: {name} is asked about by qa55/qa25/qa14")
        if q.get("title") != essays[name][0]:
            fails.append(f"{qid}: title {q.get('title')!r} != {essays[name][0]!r}")
        if q.get("style") not in ("verbatim", "paraphrase"):
            fails.append(f"{qid}: style must be verbatim or paraphrase")
        for field in ("question", "answer"):
            run = copied_run(q.get(field, ""), flat_words[name])
            if run:
                fails.append(f"{qid}: {field} copies the essay: {run!r}")
        start = q.get("passage_start", "").strip()
        if len(words(start)) > EXCERPT_WORDS - 1:
            fails.append(f"{qid}: passage_start is longer than {EXCERPT_WORDS - 1} words")
        span = passage(essays[name][1], start) if start else None
        if span is None:
            fails.append(f"{qid}: passage_start not found in {name}")
        elif q["style"] == "paraphrase":
            shared = sorted(s for s in content_stems(q["question"]) & content_stems(span)
                            if df[s] <= RARE_DF)
            if shared:
                fails.append(f"{qid}: paraphrase shares rare words with its passage: {shared}")
    return fails


def report(items: list[dict], essays: dict[str, tuple[str, str]]) -> None:
    """Counts per split and kind, and plain BM25 recall@5 / MRR by style."""
    kinds = Counter((q.get("split", "?"), q.get("style", "out-of-archive")) for q in items)
    for (split, kind), n in sorted(kinds.items()):
        print(f"  {split:4} {kind:15} {n}")
    used = {q["essay"] for q in items if "essay" in q}
    print(f"  {len(items)} questions, {len(used)} essays")
    df, tfs = bm25_ranker(essays)
    print("plain BM25 over whole essays (post level):")
    for split in ("dev", "test", "all"):
        for style in ("verbatim", "paraphrase"):
            qs = [q for q in items if q.get("style") == style and split in ("all", q.get("split"))]
            if not qs:
                continue
            ranks = [bm25_rank(q["question"], df, tfs) for q in qs]
            r5 = sum(q["essay"] in r[:5] for q, r in zip(qs, ranks, strict=True)) / len(qs)
            mrr = sum(1 / (r[:10].index(q["essay"]) + 1) for q, r in zip(qs, ranks, strict=True)
                      if q["essay"] in r[:10]) / len(qs)
            print(f"  {split:4} {style:10} n={len(qs):3}  R@5 {r5:.2f}  MRR {mrr:.2f}")


def main() -> None:
    """Parse arguments, check, report; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("essays_dir", type=Path)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[],
                        help="qa55.json qa25.json qa14.json: their essays may not be used")
    parser.add_argument("--questions", type=Path, nargs="*",
                        default=[HERE / "pg_dev.json", HERE / "pg_test.json"])
    args = parser.parse_args()
    if not args.essays_dir.is_dir():
        sys.exit(f"skipped: no essays at {args.essays_dir} (see ../shared/data/README.md)")
    essays = load_essays(args.essays_dir)
    banned = yardstick_essays(args.exclude, essays)
    unknown = sorted(b for b in banned if b.startswith("?"))
    items = [q for path in args.questions for q in json.loads(path.read_text())]
    fails = [f"yardstick reference not resolved: {u[1:]}" for u in unknown]
    fails += check(items, essays, banned)
    print(f"{len(essays)} essays, {len(banned)} excluded by the yardstick sets")
    report(items, essays)
    for line in fails:
        print("FAIL", line)
    print(f"{len(fails)} failures")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
