"""The author's archive: idempotent ingestion into Chroma + BM25, and hybrid search over both."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from knowledge.chunking import (
    DEFAULT_MAX_WORDS,
    DEFAULT_OVERLAP_WORDS,
    Chunk,
    chunk_post,
    embedding_text,
    join_chunks,
)
from knowledge.embedding import Embedder, LazyEmbedder
from knowledge.keyword_pair import KeywordPair
from knowledge.locks import WRITE_LOCK, FileLock
from knowledge.metadata import chunk_metadata, parse_iso_date
from knowledge.post import Post, ReadFailure
from knowledge.search import HybridSearcher, SearchHit, SearchTuning
from knowledge.store import ChunkStore, make_client
from knowledge.store_errors import ArchiveDamaged, damaged_message
from knowledge.topics import TopicMap, compute_topics, load_cached, save_cached

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# Posts are written in bounded batches: a crash loses at most one batch, a re-run resumes.
BATCH_CHUNKS = 512
KEYWORD_RECHECK_SECONDS = 2.0
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class _EncodedBatch:
    """Posts of one batch with their chunks (and whether each was stored), and the vectors."""

    chunked: list[tuple[Post, bool, list[Chunk]]]
    vectors: np.ndarray


@dataclass
class IngestReport:
    """What one ingestion did, in the `ingest --json` shape."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    failed: list[ReadFailure] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The summary printed by `avatar ingest --json`."""
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"source": f.source, "error": f.error} for f in self.failed],
        }


@dataclass(frozen=True)
class PostSummary:
    """A stored post as listed by `avatar posts`."""

    post_id: str
    title: str
    url: str
    source: str
    published: date | None
    chunks: int

    def to_json(self) -> dict[str, Any]:
        """JSON form for `posts --json` and the API."""
        return {"post_id": self.post_id, "title": self.title, "url": self.url,
                "source": self.source, "chunks": self.chunks,
                "published": self.published.isoformat() if self.published else None}


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
        self._keyword = self._load_keyword()
        self._checked_at = time.monotonic()
        self._searcher = HybridSearcher(store, self._keyword, embedder, tuning)

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
            self._searcher = HybridSearcher(self.store, self._keyword, self.embedder,
                                            self._searcher.tuning)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold this archive's write locks (thread and data dir), starting from fresh views."""
        with self._write_lock, self._dir_lock:
            self._reread()
            yield

    # -- writing -------------------------------------------------------------------------

    def ingest(self, posts: Iterable[Post], progress: Progress | None = None) -> IngestReport:
        """Add or update posts: unchanged ones cost no embedding, changed ones are replaced."""
        unique = {p.id: p for p in posts}
        todo = list(unique.values())
        report = IngestReport()
        marker = f"writing-{uuid.uuid4().hex}"
        with self._writing(), ThreadPoolExecutor(1, thread_name_prefix="encode") as encoder:
            started = False
            done = 0
            # Batch n+1 is chunked and embedded while batch n is written: Chroma's writes
            # and BM25 leave the cores partly idle, and the encoder fills them. Writes stay
            # in order, in this thread, so a crash still loses at most the batch in flight.
            batches = _batches(todo, self.store.hashes, report)
            for encoded in _one_ahead(encoder, self._encode, batches):
                if not started:
                    # Announce a new generation before touching Chroma: if this process dies,
                    # every reader sees a mismatch and rebuilds BM25 from Chroma.
                    self.store.set_generation(marker)
                    started = True
                done += self._write(encoded, report)
                if progress:
                    progress(report.unchanged + done, len(todo))
            if progress and not started:
                progress(len(todo), len(todo))
            if started:
                self._commit_keyword(marker)
        return report

    def _encode(self, batch: list[tuple[Post, bool]]) -> _EncodedBatch:
        """Chunk a batch of posts and embed every chunk (no store is touched)."""
        chunked = [(post, existed, chunk_post(post, self._chunk_words, self._overlap_words))
                   for post, existed in batch]
        texts = [embedding_text(post.title, c.text) for post, _, chunks in chunked for c in chunks]
        return _EncodedBatch(chunked, self.embedder.embed(texts))

    def _write(self, encoded: _EncodedBatch, report: IngestReport) -> int:
        """Write one embedded batch to Chroma and BM25; returns how many posts it held."""
        chunked, vectors = encoded.chunked, encoded.vectors
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        for post, _, chunks in chunked:
            for c in chunks:
                ids.append(c.id)
                docs.append(c.text)
                metas.append(chunk_metadata(post, c.index, len(chunks), c.overlap, c.joiner, c))
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
        self._keyword.remove_posts([post.id for post, existed, _ in chunked if existed])
        self._keyword.add(zip(ids, metas, docs, strict=True))
        for _post, existed, chunks in chunked:
            report.chunks += len(chunks)
            if existed:
                report.updated += 1
            else:
                report.added += 1
        return len(chunked)

    def _commit_keyword(self, marker: str) -> None:
        """Stamp a new generation; vouch for this process's views only if nobody else wrote."""
        generation = uuid.uuid4().hex
        # Checked again after the (slow) save: only a stamp set while the marker still
        # stood vouches for the saved files; otherwise a different stamp disowns them.
        if self.store.generation() == marker:
            self._keyword.save(self._keyword_dir, generation)
        if self.store.generation() == marker:
            self._keyword.chunks.generation = self._keyword.posts.generation = generation
        else:
            generation = uuid.uuid4().hex
            # Another writer (a replica on the same Chroma server) started meanwhile, so
            # these views may lack its posts: a new generation makes every process, this
            # one included, rebuild from Chroma instead of trusting a partial index.
            log.info("another writer changed the archive meanwhile; keyword views rebuild")
            self._keyword.mark_stale()
        self.store.set_generation(generation)

    def remove(self, post_ids: Sequence[str]) -> int:
        """Delete posts and all their chunks; returns how many were stored."""
        with self._writing():
            present = list(self.store.hashes(list(post_ids)))
            if not present:
                return 0
            marker = f"writing-{uuid.uuid4().hex}"
            self.store.set_generation(marker)
            self.store.delete_posts(present)
            self._keyword.remove_posts(present)
            self._commit_keyword(marker)
            return len(present)

    # -- reading -------------------------------------------------------------------------

    def posts(self) -> list[PostSummary]:
        """Every stored post, newest first."""
        out = [
            PostSummary(
                post_id=str(m["post_id"]), title=str(m.get("title", "")),
                url=str(m.get("url", "")), source=str(m.get("source", "")),
                published=parse_iso_date(str(m.get("published", ""))),
                chunks=int(m.get("chunk_count", 1)),
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


def _one_ahead(executor: ThreadPoolExecutor, work: Callable[[T], R],
               items: Iterable[T]) -> Iterator[R]:
    """work(item) for each item in order, the next one already running while this one is used."""
    pending: Future[R] | None = None
    for item in items:
        submitted = executor.submit(work, item)
        if pending is not None:
            yield pending.result()
        pending = submitted
    if pending is not None:
        yield pending.result()


def _batches(posts: list[Post], hashes: Callable[[Sequence[str]], dict[str, str]],
             report: IngestReport) -> Iterable[list[tuple[Post, bool]]]:
    """Posts that need writing, grouped to about BATCH_CHUNKS chunks, flagged if stored."""
    batch: list[tuple[Post, bool]] = []
    size = 0
    for start in range(0, len(posts), 500):
        window = posts[start : start + 500]
        stored = hashes([p.id for p in window])
        for post in window:
            if stored.get(post.id) == post.content_hash:
                report.unchanged += 1
                continue
            batch.append((post, post.id in stored))
            size += max(1, len(post.text.split()) // 120)
            if size >= BATCH_CHUNKS:
                yield batch
                batch, size = [], 0
    if batch:
        yield batch


__all__ = ["Archive", "IngestReport", "PostSummary"]
