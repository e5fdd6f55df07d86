"""Whole-post vectors: each post's mean chunk vector, one float32 matrix saved beside BM25.

A paraphrased question rarely matches one chunk closely, but it matches what a post is
about as a whole; the mean of the chunk vectors says that (dev paraphrase R@5 0.63 -> 0.73).
Ingest keeps the matrix current from the chunk vectors of each batch it writes (read back
by id: Chroma stores an upserted vector changed in the last bit, and the mean must be the
one search computed before), and saves it stamped with the archive generation it matches,
like the group index; a search then scores its candidates by row lookups. Fetching cold
posts' chunk vectors from Chroma per query cost ~300 ms at 30,000 posts (search's p95).
A missing or stale file (an index written before this file existed, another machine's
write to a Chroma server) is rebuilt from Chroma's stored chunk vectors, never re-embedded,
at the next write, because that holds the write lock anyway and the rebuild takes ~10 s at
30,000 posts, which open should not pay; until then a search fetches from Chroma as before.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.store import ChunkStore

log = logging.getLogger(__name__)

VECTORS_FILE = "vectors.npz"


def mean_vector(chunk_vectors: Any) -> np.ndarray:
    """The unit-length mean of a post's chunk vectors, in the order Chroma returns them."""
    return _unit(np.asarray(chunk_vectors, dtype=np.float32).mean(axis=0))


def _unit(mean: np.ndarray) -> np.ndarray:
    return mean / max(float(np.linalg.norm(mean)), 1e-9)


class PostVectors:
    """Post id -> row of one float32 matrix; posts it lacks are fetched from Chroma."""

    def __init__(self, store: ChunkStore, folder: Path | None = None) -> None:
        self._store = store
        self._folder = folder  # where saved; None keeps them in memory only
        self._lock = threading.Lock()
        self.generation = ""
        self.complete = False  # holds every stored post as of `generation`
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._row: dict[str, int] = {}
        self._free: list[int] = []
        self._fetched: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._row)

    @classmethod
    def open(cls, store: ChunkStore, folder: Path, generation: str,
             posts: int) -> PostVectors:
        """The saved vectors if they match this generation and post count, else none yet."""
        vectors = cls(store, folder)
        saved = load_saved(folder)
        if saved is None:
            return vectors
        ids, matrix, saved_generation = saved
        if saved_generation != generation or len(ids) != posts:
            log.info("post vectors in %s are stale; they are rebuilt at the next write", folder)
            return vectors
        vectors._replace(ids, matrix, generation)
        return vectors

    # -- reading -------------------------------------------------------------------------

    def similarities(self, query: np.ndarray, post_ids: Sequence[str]) -> dict[str, float]:
        """Cosine of the query vector to each stored post's mean chunk vector."""
        with self._lock:
            missing = [pid for pid in post_ids
                       if pid not in self._row and pid not in self._fetched]
            if missing:
                for pid, vectors in self._store.post_vectors(missing).items():
                    self._fetched[pid] = mean_vector(vectors)
            known = [pid for pid in post_ids if pid in self._row or pid in self._fetched]
            if not known:
                return {}
            matrix = np.stack([self._matrix[self._row[pid]] if pid in self._row
                               else self._fetched[pid] for pid in known])
        sims = matrix @ (np.asarray(query, dtype=np.float32)
                         / max(float(np.linalg.norm(query)), 1e-9))
        return dict(zip(known, map(float, sims), strict=True))

    # -- writing (under the archive's write lock) -----------------------------------------

    def ensure(self, generation: str) -> None:
        """Hold every stored post as of generation, rebuilt from Chroma's vectors if need be."""
        if self.complete and self.generation == generation:
            return
        ids, matrix = _from_store(self._store)
        self._replace(ids, matrix, generation)
        if generation and not generation.startswith("writing-"):
            self.save(generation)  # the next process loads it even if this write fails

    def put(self, post_id: str, chunk_vectors: Any) -> None:
        """Set a post's vector from all its chunk vectors (a re-ingest replaces them all)."""
        vector = mean_vector(chunk_vectors)
        with self._lock:
            self._fetched.pop(post_id, None)
            row = self._row.get(post_id)
            if row is None:
                row = self._free.pop() if self._free else self._grow(len(vector))
                self._row[post_id] = row
            self._matrix[row] = vector

    def drop(self, post_ids: Sequence[str]) -> None:
        """Forget removed posts."""
        with self._lock:
            for pid in post_ids:
                self._fetched.pop(pid, None)
                row = self._row.pop(pid, None)
                if row is not None:
                    self._free.append(row)

    def rename(self, old_id: str, new_id: str) -> None:
        """A group's chunks moved to a new id with their vectors: so does its post vector."""
        with self._lock:
            self._fetched.pop(old_id, None)
            self._fetched.pop(new_id, None)
            row = self._row.pop(old_id, None)
            if row is not None:
                self._row[new_id] = row

    def save(self, generation: str) -> None:
        """Write the vectors stamped with generation (atomically: a reader sees old or new)."""
        with self._lock:
            ids = list(self._row)
            matrix = self._matrix[[self._row[pid] for pid in ids]]
            self.generation = generation
        if self._folder is None:
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        temp = self._folder / f".{VECTORS_FILE}-{os.getpid()}-{threading.get_ident()}"
        with temp.open("wb") as handle:
            # Ids as one UTF-8 JSON text: a fixed-width string array pads each to the longest.
            np.savez(handle, vectors=matrix, generation=np.asarray(generation),
                     ids=np.frombuffer(json.dumps(ids).encode(), dtype=np.uint8))
        os.replace(temp, self._folder / VECTORS_FILE)

    def _replace(self, ids: list[str], matrix: np.ndarray, generation: str) -> None:
        with self._lock:
            self._matrix = matrix
            self._row = {pid: i for i, pid in enumerate(ids)}
            self._free = []
            self._fetched = {}
            self.generation, self.complete = generation, True

    def _grow(self, dimension: int) -> int:
        """A fresh row at the end, widening the matrix by a quarter when it is full."""
        used = len(self._row) + len(self._free)
        if self._matrix.shape[1] != dimension and used == 0:
            self._matrix = np.zeros((0, dimension), dtype=np.float32)
        if used == self._matrix.shape[0]:
            wider = np.zeros((used + used // 4 + 256, dimension), dtype=np.float32)
            wider[:used] = self._matrix[:used]
            self._matrix = wider
        return used


def _from_store(store: ChunkStore) -> tuple[list[str], np.ndarray]:
    """Every stored post's vector, from the chunk vectors Chroma holds (no embedding)."""
    # Running float32 sums in Chroma's order: the same bits as mean_vector, without holding
    # all 200k chunk vectors at once.
    totals: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for post_ids, vectors in store.vector_pages():
        for pid, vector in zip(post_ids, vectors, strict=True):
            if pid in totals:
                totals[pid] += vector
                counts[pid] += 1
            else:
                totals[pid], counts[pid] = vector.astype(np.float32), 1
    ids = list(totals)
    if not ids:
        return [], np.zeros((0, 0), dtype=np.float32)
    return ids, np.stack([_unit(totals[pid] / np.float32(counts[pid])) for pid in ids])


def load_saved(folder: Path) -> tuple[list[str], np.ndarray, str] | None:
    """The saved ids, matrix and generation, or None when missing or damaged."""
    try:
        with np.load(folder / VECTORS_FILE, allow_pickle=False) as data:
            ids = [str(pid) for pid in json.loads(data["ids"].tobytes().decode())]
            matrix = np.asarray(data["vectors"], dtype=np.float32)
            generation = str(data["generation"])
        if matrix.ndim != 2 or len(ids) != matrix.shape[0] or len(set(ids)) != len(ids):
            raise ValueError(f"{len(ids)} ids for a matrix of shape {matrix.shape}")
        if not np.isfinite(matrix).all():
            raise ValueError("the matrix holds non-finite values")
    except FileNotFoundError:
        return None
    except Exception as exc:  # any damage (truncated zip, wrong shapes...) means "rebuild"
        log.warning("post vectors %s are damaged (%s); they are rebuilt from Chroma at the "
                    "next write", folder / VECTORS_FILE, exc)
        return None
    return ids, matrix, generation
