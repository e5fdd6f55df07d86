"""Integrity of an archive: Chroma's posts and chunks against the keyword index and HNSW reach."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from knowledge.archive import Archive
from knowledge.chunking import embedding_text
from knowledge.keyword_pair import KeywordPair

REACH_SAMPLE = 60   # chunks probed by their own text: enough to see a lost vector segment
REACH_TOP = 3


@dataclass
class IntegrityReport:
    """What `avatar check` and /ready report: counts, and each problem with its fix."""

    posts: int = 0
    chunks: int = 0
    keyword_posts: int = 0
    keyword_chunks: int = 0
    reach: float = 1.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is missing, orphaned or unreachable."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The report as JSON (for `check --json` and /ready)."""
        return {"ok": self.ok, "posts": self.posts, "chunks": self.chunks,
                "keyword_posts": self.keyword_posts, "keyword_chunks": self.keyword_chunks,
                "vector_reach": round(self.reach, 3), "problems": self.problems}


def check(archive: Archive, probe: bool = True) -> IntegrityReport:
    """Compare Chroma with the keyword index and (probe) how much of it HNSW reaches.

    Without the probe (as /ready runs it) chunks are counted, not read one by one.
    """
    store = archive.store
    heads = {str(m["post_id"]): m for m in store.heads()}
    counts: dict[str, int] = {}
    if probe:
        for chunk in store.chunks():
            pid = str(chunk.metadata.get("post_id", ""))
            counts[pid] = counts.get(pid, 0) + 1
    else:
        counts = {pid: int(m.get("chunk_count", 1)) for pid, m in heads.items()}
        counts[""] = store.count() - sum(counts.values())  # a difference shows as an orphan
    keyword = archive.keyword_views()
    report = IntegrityReport(posts=len(heads), chunks=sum(counts.values()),
                             keyword_posts=len(keyword.meta), keyword_chunks=len(keyword.chunks))
    counts = {pid: n for pid, n in counts.items() if n}
    orphans = sorted(set(counts) - set(heads))
    if orphans:
        report.problems.append(
            f"{len(orphans)} post(s) have chunks but no first chunk in Chroma (an interrupted "
            f"write), e.g. {orphans[0]}: re-ingest their sources")
    short = [pid for pid, m in heads.items() if counts.get(pid, 0) != int(m.get("chunk_count", 1))]
    if short:
        report.problems.append(
            f"{len(short)} post(s) have a different number of chunks than recorded, e.g. "
            f"{short[0]}: re-ingest their sources")
    missing = set(heads) - set(keyword.meta)
    extra = set(keyword.meta) - set(heads)
    writing = store.generation().startswith("writing-")  # mid-write, counts differ by design
    if not writing and (missing or extra or report.keyword_chunks != report.chunks):
        report.problems.append(
            f"the keyword index ({archive.keyword_dir}) holds {report.keyword_chunks} chunks of "
            f"{report.keyword_posts} posts, Chroma {report.chunks} of {report.posts} "
            f"({len(missing)} missing, {len(extra)} orphaned): run `avatar check --repair`")
    if not heads and archive.saved_keyword_posts():
        report.problems.append(
            f"Chroma ({archive.chroma_location}) is empty but the saved keyword index held "
            f"{archive.saved_keyword_posts()} posts: the vector store was emptied or replaced; "
            "restore it from a backup, or re-ingest the sources")
    if probe and report.chunks:
        report.reach = vector_reach(archive)
        if report.reach < 0.9:
            report.problems.append(
                f"the vector index reaches only {report.reach:.0%} of sampled chunks (its HNSW "
                f"segment under {archive.chroma_location} is missing or damaged): run "
                "`avatar check --repair` to re-embed every chunk from its stored text")
    return report


def vector_reach(archive: Archive, sample: int = REACH_SAMPLE) -> float:
    """Share of sampled chunks that nearest-neighbour search finds by their own text."""
    chunks = list(archive.store.chunks())
    picked = random.Random(7).sample(chunks, min(sample, len(chunks)))
    texts = [embedding_text(str(c.metadata.get("title", "")), c.text) for c in picked]
    vectors = archive.embedder.embed(texts)
    found = 0
    for chunk, vector in zip(picked, vectors, strict=True):
        try:
            ids = [cid for cid, _ in archive.store.nearest_ids(vector, REACH_TOP)]
        except Exception:  # a damaged segment can fail outright: that is unreachable too
            ids = []
        found += chunk.id in ids
    return found / max(len(picked), 1)


def repair(archive: Archive, report: IntegrityReport) -> list[str]:
    """Rebuild what is derived (keyword index; vectors from stored text); what was done."""
    done = []
    if report.reach < 0.9:
        archive.store.reembed()
        done.append(f"re-embedded {report.chunks} chunks into a fresh vector index")
    pair = KeywordPair.rebuild(archive.store, "")
    generation = uuid.uuid4().hex
    pair.save(archive.keyword_dir, generation)
    archive.store.set_generation(generation)
    done.append(f"rebuilt the keyword index from Chroma ({len(pair.chunks)} chunks)")
    return done
