"""A SIGKILL in the middle of an ingest loses nothing: the re-run makes the archive exact."""

from __future__ import annotations

import queue
import random
import signal
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from knowledge.archive import Archive
from knowledge.chunking import chunk_id, chunk_post
from knowledge.post import Post
from knowledge.readers import read_source
from tests.knowledge.conftest import OpenArchive, child_env
from tests.support.sample import ROOT

POSTS = 300
KILL_AFTER_BATCHES = 3

WORDS = """
policy market city budget energy school network office transport river bridge data
software library council harbour winter summer village engineer teacher market price
grid battery cable station tunnel railway meadow forest kitchen ledger invoice contract
garden market factory worker manager student parent neighbour doctor nurse baker farmer
argument evidence history future decade morning evening weekend journey answer question
simple careful honest quiet loud early late cheap costly public private local national
build measure repair replace borrow lend teach learn write read count share protect
""".split()

CHILD = """
import sys
from pathlib import Path

import knowledge.archive as archive_module
from knowledge.archive import Archive
from knowledge.embedding import load_embedder
from knowledge.readers import read_source

archive_module.BATCH_CHUNKS = 20
data_dir, source, models = (Path(a) for a in sys.argv[1:4])
archive = Archive.open(data_dir, embedder=load_embedder("minilm-int8", models))
posts = read_source(str(source)).posts
print("ready", len(posts), flush=True)
archive.ingest(posts, progress=lambda done, total: print("batch", done, total, flush=True))
print("finished", flush=True)
"""


def token(i: int) -> str:
    return f"zqx{i:04d}"


def write_posts(folder: Path) -> None:
    """POSTS markdown files of distinct random prose, each with its own unique token.

    Most are a few short sentences (one chunk, cheap to embed); two runs of ten posts, one
    written before the kill and one after, are long enough for several chunks each.
    """
    rng = random.Random(20240917)
    folder.mkdir()
    for i in range(POSTS):
        long = i < 10 or 150 <= i < 160
        paragraphs = []
        for _ in range(6 if long else 1):
            sentences = []
            for _ in range(5 if long else 2):
                words = rng.choices(WORDS, k=rng.randint(8, 12) if long else rng.randint(5, 7))
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(sentences)
        p = rng.randrange(len(paragraphs))
        paragraphs[p].insert(rng.randint(0, len(paragraphs[p])),
                             f"The reference {token(i)} is noted here.")
        body = "\n\n".join(" ".join(s) for s in paragraphs)
        published = date(2001, 1, 1) + timedelta(days=11 * i)
        (folder / f"{i:04d}-note.md").write_text(
            f"---\ntitle: \"Field note {i}\"\ndate: {published.isoformat()}\n---\n\n{body}\n",
            encoding="utf-8")


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


def run_and_kill(data_dir: Path, source: Path, model_dir: Path, stderr: Path) -> list[str]:
    """Run an ingest in a child process and SIGKILL it after a few written batches."""
    script = source.parent / "child_ingest.py"
    script.write_text(CHILD, encoding="utf-8")
    with stderr.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(script), str(data_dir), str(source), str(model_dir)],
            stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT, env=child_env(),
        )
    assert proc.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        while sum(line.startswith("batch") for line in seen) < KILL_AFTER_BATCHES:
            line = lines.get(timeout=120)
            if line is None:
                break
            seen.append(line)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, (
        f"child ended with {proc.returncode}: {stderr.read_text()[-2000:]}")
    assert "finished" not in seen, "the ingest ended before it could be killed"
    assert sum(line.startswith("batch") for line in seen) == KILL_AFTER_BATCHES, (
        f"{seen}\n{stderr.read_text()[-2000:]}")
    return seen


def assert_exact(archive: Archive, posts: list[Post]) -> None:
    expected = {chunk_id(p.id, c.index): len(chunk_post(p)) for p in posts for c in chunk_post(p)}
    stored = list(archive.store.chunks())
    ids = [c.id for c in stored]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(expected)
    assert archive.store.count() == sum(len(chunk_post(p)) for p in posts)
    for c in stored:
        assert int(c.metadata["chunk_index"]) < int(c.metadata["chunk_count"])
        assert int(c.metadata["chunk_count"]) == expected[c.id]
    heads = [str(m["post_id"]) for m in archive.store.heads()]
    assert sorted(heads) == sorted(p.id for p in posts)  # every post has its chunk 0, once
    assert archive.count_posts() == len(posts)


def test_sigkill_mid_ingest_then_rerun_gives_exact_totals(
    tmp_path: Path, model_dir: Path, open_archive: OpenArchive,
) -> None:
    source = tmp_path / "posts"
    write_posts(source)
    result = read_source(str(source))
    assert result.failures == []
    posts = result.posts
    assert len(posts) == POSTS
    assert len({p.text for p in posts}) == POSTS
    counts = [len(chunk_post(p)) for p in posts]
    assert min(counts[:10]) >= 2 and min(counts[150:160]) >= 2  # some span several chunks
    assert sum(counts) > 20 * 3 * KILL_AFTER_BATCHES  # many more batches than get written
    data_dir = tmp_path / "data"

    run_and_kill(data_dir, source, model_dir, tmp_path / "child.stderr")

    archive = open_archive(data_dir)
    done_before = {str(m["post_id"]) for m in archive.store.heads()}
    assert 0 < len(done_before) < POSTS
    token_of = {p.id: token(int(Path(p.source).name[:4])) for p in posts}

    report = archive.ingest(posts)
    assert report.failed == []
    assert report.updated == 0
    assert report.unchanged == len(done_before)
    assert report.added == POSTS - len(done_before)
    assert_exact(archive, posts)

    by_index = {int(Path(p.source).name[:4]): p for p in posts}
    assert by_index[0].id in done_before  # the first (long) posts went in before the kill
    assert by_index[299].id not in done_before
    probes = [by_index[0], next(p for p in posts if p.id in done_before and p != by_index[0]),
              by_index[155], by_index[299]]
    for reopened in (False, True):
        if reopened:
            archive = open_archive(data_dir)
        for post in probes:
            # (floor off: on this word-salad corpus MiniLM rates any query ~0.45 similar)
            hits = archive.search(token_of[post.id], floor=False)
            found = [(Path(h.source).name, round(h.keyword, 3), round(h.dense, 3))
                     for h in hits]
            where = "reopened" if reopened else "same archive"
            assert hits and hits[0].post_id == post.id, (
                f"{token_of[post.id]} ({where}, written before the kill: "
                f"{post.id in done_before}) found {found}")
            assert hits[0].keyword > 0

    report = archive.ingest(posts)
    assert (report.added, report.updated, report.unchanged) == (0, 0, POSTS)
    assert_exact(archive, posts)

