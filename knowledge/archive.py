"""The author's archive: idempotent ingestion into Chroma + BM25, and hybrid search over both."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.archive_reports import IngestReport, PostSummary
from knowledge.chunking import (
    DEFAULT_MAX_WORDS,
    DEFAULT_OVERLAP_WORDS,
    Chunk,
    chunk_post,
    embedding_text,
    join_chunks,
)
from knowledge.embedding import Embedder, LazyEmbedder
from knowledge.group_index import GroupIndex
from knowledge.group_writes import move, relabel, respeak
from knowledge.grouping import Grouper, GroupPlan
from knowledge.ingest_batches import batches, one_ahead
from knowledge.keyword_pair import KeywordPair
from knowledge.locks import WRITE_LOCK, FileLock
from knowledge.metadata import chunk_metadata, parse_iso_date
from knowledge.post import Post
from knowledge.post_groups import Member, urls_of
from knowledge.post_vectors import PostVectors
from knowledge.search import HybridSearcher, SearchHit, SearchTuning
from knowledge.store import ChunkStore, make_client
from knowledge.store_errors import ArchiveDamaged, damaged_message
from knowledge.topics import TopicMap, compute_topics, load_cached, save_cached

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# Posts are written in bounded batches: a crash loses at most one batch, a re-run resumes.
BATCH_CHUNKS = 512
KEYWORD_RECHECK_SECONDS = 2.0
GROUPS_DIR = "groups"
POST_VECTORS_DIR = "post_vectors"


@dataclass(frozen=True)
class _EncodedBatch:
    """Posts of one batch with their chunks (and whether each was stored), and the vectors."""

    chunked: list[tuple[Post, bool, list[Chunk]]]
    vectors: np.ndarray


class Archive:
    """One author's indexed posts: write with ingest/remove, read with search/posts."""

    def __init__(self, store: ChunkStore, keyword_dir: Path, embedder: Embedder,
                 tuning: SearchTuning | None = None, chunk_words: int = DEFAULT_MAX_WORDS,
                 overlap_words: int = DEFAULT_OVERLAP_WORDS) -> None:
        self.store = store
        self._chunk_words = chunk_words
        self._overlap_words = overlap_words
        self.embedder = embedder
        self._keyword_dir = keyword_dir
        self._write_lock = threading.Lock()
        # One writer per data dir across processes (CLI runs, workers): each re-reads what
        # the last one wrote before it writes.
        self._dir_lock = FileLock(keyword_dir.parent / WRITE_LOCK)
        self._groups_dir = keyword_dir.parent / GROUPS_DIR
        self._groups: GroupIndex | None = None  # loaded at the first write
        self._keyword = self._load_keyword()
        self._post_vectors = self._load_post_vectors()
        self._checked_at = time.monotonic()
        self._searcher = HybridSearcher(store, self._keyword, embedder, tuning,
                                        self._post_vectors)

    @classmethod
    def open(cls, data_dir: Path, chroma_url: str | None = None,
             embedder: Embedder | str = "minilm-int8",
             tuning: SearchTuning | None = None, chunk_words: int = DEFAULT_MAX_WORDS,
             overlap_words: int = DEFAULT_OVERLAP_WORDS, device: str = "auto") -> Archive:
        """Open (or create) the archive under data_dir, embedded or against a Chroma server.

        A named embedder runs on `device` (auto|cpu|cuda, see knowledge.devices).
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        if isinstance(embedder, str):
            embedder = LazyEmbedder(embedder, data_dir / "models", device)
        location = chroma_url or str(data_dir / "chroma")
        try:
            # Two processes creating one embedded database at once both run its schema
            # migrations and one fails: the first open takes the data dir's write lock too.
            with FileLock(data_dir / WRITE_LOCK) if chroma_url is None else nullcontext():
                store = ChunkStore(make_client(data_dir, chroma_url), embedder, location)
        except ValueError:
            raise
        except Exception as exc:  # chromadb's own errors: one line naming the file and fix
            raise ArchiveDamaged(damaged_message(location, exc, chroma_url is None)) from None
        return cls(store, data_dir / "keyword", embedder, tuning, chunk_words, overlap_words)

    @property
    def keyword_dir(self) -> Path:
        """Where the keyword index is saved."""
        return self._keyword_dir

    @property
    def chroma_location(self) -> str:
        """The Chroma folder or server this archive's chunks live in."""
        return self.store.location

    def keyword_views(self) -> KeywordPair:
        """The keyword views, re-read first if another process wrote since (not mid-write)."""
        if not self._write_lock.acquire(blocking=False):
            return self._keyword  # this process is writing: /ready must not wait for it
        try:
            self._reread()
            return self._keyword
        finally:
            self._write_lock.release()

    def saved_keyword_posts(self) -> int:
        """How many posts the saved keyword index holds, whatever Chroma says (0 if none)."""
        saved = KeywordPair.load(self._keyword_dir)
        return len(saved.meta) if saved is not None else 0

    # -- keyword index freshness --------------------------------------------------------

    def _load_keyword(self) -> KeywordPair:
        """The saved BM25 views if they match Chroma, else both rebuilt from Chroma."""
        return KeywordPair.open(self._keyword_dir, self.store)

    def _load_post_vectors(self) -> PostVectors:
        """The saved whole-post vectors if they match the keyword views (see post_vectors)."""
        return PostVectors.open(self.store, self._keyword_dir.parent / POST_VECTORS_DIR,
                                self._keyword.generation, len(self._keyword.meta))

    def _refresh_keyword(self) -> None:
        """Pick up writes made by another process (another worker, or `avatar ingest`)."""
        now = time.monotonic()
        if now - self._checked_at < KEYWORD_RECHECK_SECONDS or self._write_lock.locked():
            return
        self._checked_at = now
        self._reread()

    def _reread(self) -> None:
        """Reload the keyword views when Chroma's generation (or size) says someone else wrote."""
        generation = self.store.generation()
        if generation != self._keyword.generation or (
                not generation.startswith("writing-")
                and len(self._keyword.chunks) != self.store.count()):
            # The size check is the safety net for two replicas stamping at the same instant.
            self._keyword = self._load_keyword()
            self._post_vectors = self._load_post_vectors()
            self._searcher = HybridSearcher(self.store, self._keyword, self.embedder,
                                            self._searcher.tuning, self._post_vectors)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold this archive's write locks (thread and data dir), starting from fresh views."""
        with self._write_lock, self._dir_lock:
            self._reread()
            yield

    # -- writing -------------------------------------------------------------------------

    def ingest(self, posts: Iterable[Post], progress: Progress | None = None) -> IngestReport:
        """Add or update posts: unchanged ones cost no embedding, changed ones are replaced.

        A post whose text near-duplicates one already indexed (or another of this batch)
        becomes one more URL of that post instead of a second copy (see knowledge.grouping).
        """
        unique = {p.id: p for p in posts}
        todo = list(unique.values())
        report = IngestReport()
        marker = f"writing-{uuid.uuid4().hex}"
        with self._writing(), ThreadPoolExecutor(1, thread_name_prefix="encode") as encoder:
            groups = self._group_index()
            with self._dropping_groups_on_error():  # planning updates the index as it goes
                plan = Grouper(groups, self.post_text).add(todo)
            report.added, report.updated = plan.added, plan.updated
            report.grouped, report.unchanged = plan.grouped, plan.unchanged
            if not plan.changes:
                if progress:
                    progress(len(todo), len(todo))
                return report
            with self._dropping_groups_on_error():
                self._start_writing(marker, groups)
                self._regroup(plan, groups)
                done = report.unchanged + report.grouped
                if progress:
                    progress(done, len(todo))
                # Batch n+1 is chunked and embedded while batch n is written: Chroma's writes
                # and BM25 leave the cores partly idle, and the encoder fills them. Writes stay
                # in order, in this thread, so a crash still loses at most the batch in flight.
                for encoded in one_ahead(encoder, self._encode,
                                         batches(plan.write, BATCH_CHUNKS)):
                    done += self._write(encoded, report, groups)
                    if progress:
                        progress(done, len(todo))
            self._commit_keyword(marker)
        return report

    def _start_writing(self, marker: str, groups: GroupIndex) -> None:
        """Announce a write before touching Chroma: if this process dies, readers rebuild."""
        # Missing or stale post vectors are built now (from Chroma), for this write to update.
        self._post_vectors.ensure(self.store.generation())
        self.store.set_generation(marker)
        # The planned group index is ahead of Chroma until the commit: it, not Chroma's
        # half-written heads, is what this writer goes on with.
        groups.generation = marker

    def _regroup(self, plan: GroupPlan, index: GroupIndex) -> None:
        """Apply a plan's changes that need no embedding: moved, emptied, relabelled groups."""
        for old_id, new_id in plan.rekey.items():
            group = index.group(new_id)
            if group is not None:
                move(self.store, self._keyword, old_id, group)
                self._post_vectors.rename(old_id, new_id)
        if plan.delete:
            self.store.delete_posts(sorted(plan.delete))
            self._keyword.remove_posts(sorted(plan.delete))
            self._post_vectors.drop(sorted(plan.delete))
        for gid in sorted(plan.relabel - set(plan.rekey.values())):
            group = index.group(gid)
            if group is not None:
                relabel(self.store, self._keyword, group)
        respeak(self.store, list(plan.respeak.values()))

    @contextmanager
    def _dropping_groups_on_error(self) -> Iterator[None]:
        """Forget the in-memory group index when a write fails: Chroma may lag behind it."""
        try:
            yield
        except BaseException:
            self._groups = None
            raise

    def _group_index(self) -> GroupIndex:
        """The group index matching Chroma's generation: kept, loaded, or rebuilt from Chroma."""
        generation = self.store.generation()
        if self._groups is not None and self._groups.generation == generation:
            return self._groups
        saved = GroupIndex.load(self._groups_dir)
        if saved is not None and saved.generation == generation:
            self._groups = saved
        else:
            self._groups = GroupIndex.from_heads(self.store.heads(), generation)
            if generation and not generation.startswith("writing-"):
                self._groups.save(self._groups_dir, generation)  # the next run loads it
        return self._groups

    def _encode(self, batch: list[tuple[Post, bool]]) -> _EncodedBatch:
        """Chunk a batch of posts and embed every chunk (no store is touched)."""
        chunked = [(post, existed, chunk_post(post, self._chunk_words, self._overlap_words))
                   for post, existed in batch]
        texts = [embedding_text(post.title, c.text) for post, _, chunks in chunked for c in chunks]
        return _EncodedBatch(chunked, self.embedder.embed(texts))

    def _write(self, encoded: _EncodedBatch, report: IngestReport, index: GroupIndex) -> int:
        """Write one embedded batch to Chroma and BM25 (labelled with the planned groups)."""
        chunked, vectors = encoded.chunked, encoded.vectors
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        for post, _, chunks in chunked:
            group = index.group(post.id)
            fields = group.fields() if group is not None else {}
            for c in chunks:
                ids.append(c.id)
                docs.append(c.text)
                metas.append({**chunk_metadata(post, c.index, len(chunks), c.overlap,
                                               c.joiner, c), **fields})
        # Chunk 0 carries the content hash that marks a post as done, so it is written
        # last: a crash before it leaves the post looking unfinished and a re-run redoes it.
        later = [i for i, m in enumerate(metas) if m["chunk_index"] != 0]
        first = [i for i, m in enumerate(metas) if m["chunk_index"] == 0]
        self.store.upsert([ids[i] for i in later], [docs[i] for i in later], vectors[later],
                          [metas[i] for i in later])
        for post, existed, chunks in chunked:
            if existed:
                self.store.delete_chunks_from(post.id, len(chunks))
        self.store.upsert([ids[i] for i in first], [docs[i] for i in first], vectors[first],
                          [metas[i] for i in first])
        for pid, stored in self.store.chunk_vectors(ids).items():  # all of each post's chunks
            self._post_vectors.put(pid, stored)
        self._keyword.remove_posts([post.id for post, existed, _ in chunked if existed])
        self._keyword.add(zip(ids, metas, docs, strict=True))
        report.chunks += sum(len(chunks) for _post, _existed, chunks in chunked)
        return len(chunked)

    def _commit_keyword(self, marker: str) -> None:
        """Stamp a new generation; vouch for this process's views only if nobody else wrote."""
        generation = uuid.uuid4().hex
        # Checked again after the (slow) save: only a stamp set while the marker still
        # stood vouches for the saved files; otherwise a different stamp disowns them.
        if self.store.generation() == marker:
            self._keyword.save(self._keyword_dir, generation)
            if self._groups is not None:
                self._groups.save(self._groups_dir, generation)
            if self._post_vectors.complete:
                self._post_vectors.save(generation)
        if self.store.generation() == marker:
            self._keyword.chunks.generation = self._keyword.posts.generation = generation
        else:
            self._groups = None
            generation = uuid.uuid4().hex
            # Another writer (a replica on the same Chroma server) started meanwhile, so
            # these views may lack its posts: a new generation makes every process, this
            # one included, rebuild from Chroma instead of trusting a partial index.
            log.info("another writer changed the archive meanwhile; keyword views rebuild")
            self._keyword.mark_stale()
        self.store.set_generation(generation)

    def remove(self, post_ids: Sequence[str]) -> int:
        """Remove posts by id (or URL id); a near-duplicate group lives while a URL remains.

        Returns how many of the ids were stored.
        """
        return len(self.remove_members(post_ids))

    def remove_members(self, post_ids: Sequence[str], source: str | None = None) -> list[str]:
        """Remove posts by id; returns the ids removed (see remove).

        With a source, a post another source also gave is kept, only that source forgotten.
        """
        with self._writing():
            groups = self._group_index()
            grouper = Grouper(groups, self.post_text)
            with self._dropping_groups_on_error():
                removed = grouper.remove(list(dict.fromkeys(post_ids)), source)
            plan = grouper.plan
            if not (plan.delete or plan.rekey or plan.relabel):
                return removed
            marker = f"writing-{uuid.uuid4().hex}"
            with self._dropping_groups_on_error():
                self._start_writing(marker, groups)
                self._regroup(plan, groups)
            self._commit_keyword(marker)
            return removed

    def members_from(self, source: str) -> list[Member]:
        """Every stored post (URL) that was read from this source, feed URL or file path."""
        with self._write_lock:
            return self._group_index().members_from(source)

    # -- reading -------------------------------------------------------------------------

    def posts(self) -> list[PostSummary]:
        """Every stored post, newest first."""
        out = [
            PostSummary(
                post_id=str(m["post_id"]), title=str(m.get("title", "")),
                url=str(m.get("url", "")), source=str(m.get("source", "")),
                published=parse_iso_date(str(m.get("published", ""))),
                chunks=int(m.get("chunk_count", 1)), urls=tuple(urls_of(m)),
            )
            for m in self.store.heads()
        ]
        out.sort(key=lambda p: (p.published or date.min, p.title), reverse=True)
        return out

    def count_posts(self) -> int:
        """How many posts are stored."""
        return len(self.store.heads())

    def search(self, query: str, k: int = 5, since: date | None = None,
               until: date | None = None, tags: tuple[str, ...] = (),
               floor: bool = True) -> list[SearchHit]:
        """The k best posts for a query (see HybridSearcher.search)."""
        self._refresh_keyword()
        return self._searcher.search(query, k, since, until, tags, floor)

    def topics(self) -> TopicMap:
        """The topic map, recomputed only when the index has changed since it was saved."""
        generation = self.store.generation()
        path = self._keyword_dir.parent / "topics.json"
        cached = load_cached(path, generation)
        if cached is None:
            cached = compute_topics(self.store, generation)
            save_cached(path, cached)
        return cached

    def post_text(self, post_id: str) -> str:
        """A stored post's text, rebuilt from its chunks (overlaps removed)."""
        chunks = sorted(self.store.chunks(where={"post_id": post_id}),
                        key=lambda c: int(c.metadata.get("chunk_index", 0)))
        return join_chunks([(c.text, int(c.metadata.get("overlap", 0)),
                             str(c.metadata.get("joiner", " "))) for c in chunks])


__all__ = ["Archive", "IngestReport", "PostSummary"]
