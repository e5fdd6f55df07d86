"""BM25 over the same chunks as Chroma, kept on disk beside it and updated with it."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from knowledge.tokens import tokenize

log = logging.getLogger(__name__)

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class KeywordDoc:
    """One chunk to index: its id, post, date (yyyymmdd or 0) and keyword text."""

    chunk_id: str
    post_id: str
    published_int: int
    text: str


class KeywordIndex:
    """Incremental BM25 on a sparse term-count matrix; deletions are tombstones."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.generation = ""
        self._vocab: dict[str, int] = {}
        self._ids: list[str] = []
        self._posts: list[str] = []
        self._row_of: dict[str, int] = {}
        self._dates = np.zeros(0, dtype=np.int64)
        self._alive = np.zeros(0, dtype=bool)
        self._lengths = np.zeros(0, dtype=np.float32)
        self._matrix = sparse.csr_matrix((0, 0), dtype=np.float32)
        self._pending: list[sparse.csr_matrix] = []
        self._csc: sparse.csc_matrix | None = None
        # Per-row BM25 length norms and the live-document count, kept with _csc: at 200k
        # chunks recomputing them on every query cost ~1 ms.
        self._norm = np.zeros(0, dtype=np.float32)
        self._n_docs = 1
        # Terms by first letter, for near_terms; rebuilt when the vocabulary grows.
        self._buckets: dict[str, list[str]] | None = None
        self._bucketed = 0

    def __len__(self) -> int:
        return int(self._alive.sum())

    # -- writing -------------------------------------------------------------------------

    def add(self, docs: Iterable[KeywordDoc]) -> None:
        """Index chunks; a chunk id already present is replaced."""
        docs = list(docs)
        if not docs:
            return
        with self._lock:
            rows, cols, vals = [], [], []
            lengths = []
            for r, doc in enumerate(docs):
                counts = Counter(tokenize(doc.text))
                lengths.append(sum(counts.values()))
                for term, n in counts.items():
                    col = self._vocab.setdefault(term, len(self._vocab))
                    rows.append(r)
                    cols.append(col)
                    vals.append(n)
            self._remove_ids([d.chunk_id for d in docs])
            base = len(self._ids)
            block = sparse.csr_matrix(
                (np.asarray(vals, dtype=np.float32), (rows, cols)),
                shape=(len(docs), len(self._vocab)),
            )
            self._pending.append(block)
            for i, doc in enumerate(docs):
                self._row_of[doc.chunk_id] = base + i
            self._ids.extend(d.chunk_id for d in docs)
            self._posts.extend(d.post_id for d in docs)
            self._dates = np.concatenate([self._dates, [d.published_int for d in docs]])
            self._alive = np.concatenate([self._alive, np.ones(len(docs), dtype=bool)])
            self._lengths = np.concatenate([self._lengths, np.asarray(lengths, np.float32)])
            self._csc = None

    def remove_posts(self, post_ids: Iterable[str]) -> None:
        """Drop every chunk of the given posts."""
        wanted = set(post_ids)
        with self._lock:
            self._remove_ids([cid for cid, pid in zip(self._ids, self._posts, strict=True)
                              if pid in wanted and cid in self._row_of])

    def post_ids(self) -> set[str]:
        """The posts with at least one live row."""
        with self._lock:
            return {pid for pid, alive in zip(self._posts, self._alive, strict=True) if alive}

    def remove_chunks(self, chunk_ids: Iterable[str]) -> None:
        """Drop the given chunks."""
        with self._lock:
            self._remove_ids(list(chunk_ids))

    def _remove_ids(self, chunk_ids: list[str]) -> None:
        for cid in chunk_ids:
            row = self._row_of.pop(cid, None)
            if row is not None:
                self._alive[row] = False
                self._csc = None

    # -- reading -------------------------------------------------------------------------

    def _columns(self) -> sparse.csc_matrix:
        """Column-major matrix for fast per-term postings, rebuilt after changes."""
        if self._csc is None:
            blocks = [self._matrix, *self._pending]
            width = len(self._vocab)
            blocks = [b if b.shape[1] == width else _widen(b, width) for b in blocks]
            self._matrix = sparse.vstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]
            self._pending = []
            if self._matrix.shape[0] and (~self._alive).sum() > 0.25 * len(self._alive):
                self._compact()
            self._csc = self._matrix.tocsc()
            alive = self._alive
            self._n_docs = max(int(alive.sum()), 1)
            avg_len = float(self._lengths[alive].mean()) if alive.any() else 1.0
            self._norm = K1 * (1 - B + B * self._lengths / max(avg_len, 1e-9))
        return self._csc

    def _compact(self) -> None:
        keep = np.flatnonzero(self._alive)
        self._matrix = self._matrix[keep]
        self._ids = [self._ids[i] for i in keep]
        self._posts = [self._posts[i] for i in keep]
        self._dates = self._dates[keep]
        self._lengths = self._lengths[keep]
        self._alive = np.ones(len(keep), dtype=bool)
        self._row_of = {cid: i for i, cid in enumerate(self._ids)}

    def search(self, query: str, k: int, since: int = 0,
               until: int = 0) -> list[tuple[str, str, float]]:
        """Top-k (chunk_id, post_id, BM25 score) for a query, within an optional date range."""
        terms = [self._vocab[t] for t in dict.fromkeys(tokenize(query)) if t in self._vocab]
        with self._lock:
            if not terms or not len(self._ids):
                return []
            csc = self._columns()
            alive = self._alive
            n_docs, norm = self._n_docs, self._norm
            scores = np.zeros(len(self._ids), dtype=np.float32)
            for col in terms:
                start, end = csc.indptr[col], csc.indptr[col + 1]
                rows = csc.indices[start:end]
                live = alive[rows]
                rows, tf = rows[live], csc.data[start:end][live]
                if not len(rows):
                    continue
                df = len(rows)
                idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
                scores[rows] += idf * tf * (K1 + 1) / (tf + norm[rows])
            mask = alive & (scores > 0)
            if since:
                mask &= self._dates >= since
            if until:
                mask &= (self._dates <= until) & (self._dates > 0)
            candidates = np.flatnonzero(mask)
            if not len(candidates):
                return []
            top = candidates[_top_k(scores[candidates], k)]
            return [(self._ids[i], self._posts[i], float(scores[i])) for i in top]

    def coverage(self, query: str, chunk_ids: Iterable[str]) -> dict[str, float]:
        """Share of the query's idf weight whose terms occur in each chunk (0..1).

        Unlike a BM25 score this does not shrink with chunk length, so one exact rare name
        counts fully, while common words that happen to match count little.
        """
        with self._lock:
            if not len(self._ids):
                return {}
            csc = self._columns()
            n_docs = max(int(self._alive.sum()), 1)
            weights: dict[int, float] = {}
            total = 0.0
            for term in dict.fromkeys(tokenize(query)):
                col = self._vocab.get(term)
                rows = np.zeros(0, dtype=np.int64) if col is None else \
                    csc.indices[csc.indptr[col]:csc.indptr[col + 1]]
                df = int(self._alive[rows].sum())
                idf = float(np.log(1 + (n_docs - df + 0.5) / (df + 0.5)))
                total += idf
                if col is not None:
                    weights[col] = idf
            found = [(cid, row) for cid in chunk_ids
                     if (row := self._row_of.get(cid)) is not None]
            if not found or not total:
                return {}
            # One membership test over all the chunks' terms instead of a Python loop over
            # each chunk's ~100 terms; the matched weights are summed in the same order.
            sub = self._matrix[np.asarray([row for _cid, row in found])]
            matched = np.isin(sub.indices, np.fromiter(weights, np.int64, len(weights)))
            out: dict[str, float] = {}
            for i, (cid, _row) in enumerate(found):
                start, end = sub.indptr[i], sub.indptr[i + 1]
                hits = sub.indices[start:end][matched[start:end]]
                out[cid] = sum(weights[int(c)] for c in hits) / total
            return out

    def near_terms(self, term: str, max_distance: int) -> list[tuple[str, int]]:
        """Indexed terms within `max_distance` edits of `term` and starting with its letter,
        closest first (a misspelt name: "brodhuy" for "broodhuy")."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        with self._lock:
            if self._buckets is None or self._bucketed != len(self._vocab):
                buckets: dict[str, list[str]] = {}
                for known in self._vocab:
                    buckets.setdefault(known[:1], []).append(known)
                self._buckets, self._bucketed = buckets, len(self._vocab)
            bucket = self._buckets.get(term[:1], [])
        found = process.extract(term, bucket, scorer=Levenshtein.distance,
                                score_cutoff=max_distance, limit=5)
        return sorted(((known, int(d)) for known, d, _i in found if known != term),
                      key=lambda x: x[1])

    def document_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """How many live documents hold each (already tokenized) term, and the live count."""
        with self._lock:
            if not len(self._ids):
                return {t: 0 for t in terms}, 0
            csc = self._columns()
            out: dict[str, int] = {}
            for term in terms:
                col = self._vocab.get(term)
                rows = csc.indices[csc.indptr[col]:csc.indptr[col + 1]] if col is not None \
                    else np.zeros(0, dtype=np.int64)
                out[term] = int(self._alive[rows].sum())
            return out, self._n_docs

    # -- persistence ---------------------------------------------------------------------

    def save(self, folder: Path, generation: str) -> None:
        """Write the index to folder atomically, stamped with the Chroma generation."""
        with self._lock:
            self._columns()
            self.generation = generation
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".tmp-{os.getpid()}"
            tmp.mkdir(exist_ok=True)
            sparse.save_npz(tmp / "matrix.npz", self._matrix.tocsr(), compressed=False)
            np.savez(tmp / "arrays.npz", dates=self._dates, alive=self._alive,
                     lengths=self._lengths)
            (tmp / "rows.json").write_text(json.dumps({"ids": self._ids, "posts": self._posts}))
            (tmp / "vocab.json").write_text(json.dumps(self._vocab))
            (tmp / "state.json").write_text(json.dumps({"generation": generation}))
            for name in ("matrix.npz", "arrays.npz", "rows.json", "vocab.json"):
                os.replace(tmp / name, folder / name)
            # state.json last: it vouches for the files written before it.
            os.replace(tmp / "state.json", folder / "state.json")
            tmp.rmdir()

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        """Read a saved index, or None (with the reason logged) when absent or not sound."""
        if not (folder / "state.json").exists():
            return None
        try:
            index = cls._read(folder)
            problem = index._problem()
        except Exception as exc:  # any damage (truncated zip, bad JSON…) means "rebuild"
            problem = f"unreadable: {type(exc).__name__}: {exc}"
        if problem:
            log.warning("keyword index in %s is damaged (%s); it will be rebuilt from Chroma",
                        folder, problem)
            return None
        return index

    @classmethod
    def _read(cls, folder: Path) -> KeywordIndex:
        state = json.loads((folder / "state.json").read_text())
        index = cls()
        index._matrix = sparse.load_npz(folder / "matrix.npz").tocsr().astype(np.float32)
        arrays = np.load(folder / "arrays.npz")
        index._dates, index._alive = arrays["dates"], arrays["alive"].astype(bool)
        index._lengths = arrays["lengths"].astype(np.float32)
        rows = json.loads((folder / "rows.json").read_text())
        index._ids, index._posts = list(rows["ids"]), list(rows["posts"])
        index._vocab = dict(json.loads((folder / "vocab.json").read_text()))
        index._row_of = {cid: i for i, cid in enumerate(index._ids)
                         if i < len(index._alive) and index._alive[i]}
        index.generation = str(state.get("generation", ""))
        return index

    def _problem(self) -> str:
        """Why the loaded parts do not fit together ("" when they do)."""
        rows, width = self._matrix.shape
        sizes = {"ids": len(self._ids), "posts": len(self._posts), "dates": len(self._dates),
                 "alive": len(self._alive), "lengths": len(self._lengths)}
        wrong = {name: n for name, n in sizes.items() if n != rows}
        if wrong:
            return f"the matrix has {rows} rows but {wrong}"
        if width != len(self._vocab):
            return f"the matrix has {width} columns but the vocabulary {len(self._vocab)} terms"
        if sorted(self._vocab.values()) != list(range(width)):
            return "the vocabulary's columns are not 0..n-1"
        try:
            # Out-of-range column indices would make the search read outside the arrays.
            self._matrix.check_format(full_check=True)
        except ValueError as exc:
            return f"the matrix is malformed: {exc}"
        return ""


def _top_k(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values, largest first, ties in position order."""
    # The same answer as a stable argsort of -values cut at k, without sorting every match:
    # at 200k chunks a common word matches ~100k of them and the full sort took ~10 ms.
    if k > 0 and 2 * k < len(values):
        kth = np.partition(values, len(values) - k)[len(values) - k]  # the k-th largest
        keep = np.flatnonzero(values >= kth)  # ties at the cut all kept, in position order
        return keep[np.argsort(-values[keep], kind="stable")[:k]]
    return np.argsort(-values, kind="stable")[:k]


def _widen(block: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    """Pad a block with empty columns for terms added after it was built."""
    block = block.tocsr()
    return sparse.csr_matrix((block.data, block.indices, block.indptr),
                             shape=(block.shape[0], width))
