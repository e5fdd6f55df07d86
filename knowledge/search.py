"""Hybrid search: dense vectors and BM25, fused per post, with a relevance floor."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from knowledge.author_names import without_author_names
from knowledge.chunking import post_of_chunk
from knowledge.embedding import Embedder
from knowledge.keyword_pair import KeywordPair
from knowledge.metadata import date_from_int, date_to_int, parse_iso_date, passage_spans
from knowledge.post_groups import urls_of
from knowledge.post_vectors import PostVectors
from knowledge.query_terms import query_terms, without_unknown
from knowledge.speakers import Span, speaker_at, speaker_pieces, speaker_spans
from knowledge.store import ChunkStore, StoredChunk

# Chroma's filtered query first collects every chunk id its `where` allows, so its cost grows
# with how many are allowed (at 200k chunks ~1.3 s for a `since` that keeps 80%), while an
# unfiltered HNSW query for ids alone costs ~10 ms for 500 and ~50 ms for 4,000. A wide date
# range is therefore served by post-filtering a wider unfiltered beam, and only a narrow one
# (few chunks allowed, so cheap for Chroma) by Chroma's own filter.
DENSE_WIDEN = 4          # the first unfiltered beam, in multiples of the candidates wanted
DENSE_MAX_BEAM = 4000    # a beam wider than this costs more than Chroma's filter would

DenseHit = tuple[str, str, float]  # chunk id, post id, cosine similarity


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of a post: the text the avatar may quote, and who speaks where in it."""

    chunk_id: str
    index: int
    text: str
    spans: tuple[Span, ...] = ()  # relative to text; labelled from the text when not given

    def __post_init__(self) -> None:
        if not self.spans and self.text:
            object.__setattr__(self, "spans", speaker_spans(self.text))

    def speaker_at(self, offset: int) -> Span | None:
        """The span holding character `offset` of the passage text."""
        return speaker_at(self.spans, offset)

    def pieces(self) -> list[tuple[str, Span]]:
        """The passage as sentences, each with the span (speaker) it belongs to."""
        return speaker_pieces(self.text, self.spans)


@dataclass
class SearchHit:
    """One post found for a query, with its best passages."""

    post_id: str
    title: str
    url: str
    source: str
    published: date | None
    tags: tuple[str, ...]
    score: float
    dense: float = 0.0
    keyword: float = 0.0
    unknown_share: float = 0.0  # of the query's terms, unfamiliar ones no post holds (query-wide)
    above_floor: bool = True    # close enough by meaning or words (floor=False keeps the rest)
    passages: list[Passage] = field(default_factory=list)
    urls: tuple[str, ...] = ()  # every URL of the post (cross-posted copies), earliest first

    @property
    def snippet(self) -> str:
        """The best passage, shortened for display."""
        text = self.passages[0].text if self.passages else ""
        return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"

    def to_json(self) -> dict[str, Any]:
        """The search result shape of DESIGN.md."""
        return {
            "post_id": self.post_id, "title": self.title, "url": self.url,
            "urls": list(self.urls or ((self.url,) if self.url else ())),
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "score": round(self.score, 4), "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchTuning:
    """Knobs of the hybrid search (defaults measured on the evaluation archive)."""

    candidates: int = 120         # chunks (and posts) taken from each retriever
    rrf_k: float = 5.0            # rank-fusion damping for ordering a post's passages
    dense_weight: float = 1.0     # best chunk by meaning
    keyword_weight: float = 1.0   # best chunk by BM25
    post_weight: float = 1.0      # whole post by BM25
    post_vector_weight: float = 2.0  # whole post by meaning (mean chunk vector; dev-measured)
    # A query no chunk covers well by words (a paraphrase) leans on meaning: the dense
    # channel's weight when the best chunk holds less than this share of the query's idf
    # (dev paraphrase R@1 0.300 -> 0.367; held on test: 0.300 -> 0.367, R@5 0.467 -> 0.500).
    paraphrase_coverage: float = 0.5
    paraphrase_dense_weight: float = 3.0
    absent_z: float = -3.0        # standard score of a post a retriever did not return
    dense_floor: float = 0.35     # best cosine below this and ...
    keyword_floor: float = 0.75   # ... no chunk holds this share of the query idf: silent
    passages_per_post: int = 3

    def dense_weight_for(self, best_coverage: float) -> float:
        """The dense channel's weight, given how much of the query the best chunk holds."""
        if best_coverage < self.paraphrase_coverage:
            return self.paraphrase_dense_weight
        return self.dense_weight

    def above_floor(self, hit: SearchHit) -> bool:
        """Whether a hit is close enough, by meaning or by words, to be shown at all."""
        return hit.dense >= self.dense_floor or hit.keyword >= self.keyword_floor


class HybridSearcher:
    """Finds the posts that answer a query, by meaning and by exact words."""

    def __init__(self, store: ChunkStore, keyword: KeywordPair, embedder: Embedder,
                 tuning: SearchTuning | None = None,
                 post_vectors: PostVectors | None = None) -> None:
        self._store = store
        self._keyword = keyword
        self._embedder = embedder
        self.tuning = tuning or SearchTuning()
        # Without the archive's saved vectors, candidates' vectors are fetched from Chroma.
        self._post_vectors = PostVectors(store) if post_vectors is None else post_vectors

    def search(self, query: str, k: int = 5, since: date | None = None,
               until: date | None = None, tags: tuple[str, ...] = (),
               floor: bool = True) -> list[SearchHit]:
        """The k best posts for a query, best first; empty when nothing is relevant."""
        query = without_author_names(query.strip(), self._keyword.author_names())
        if not query:
            return []
        t = self.tuning
        pool = t.candidates * (3 if tags else 1)
        since_i, until_i = date_to_int(since), date_to_int(until)
        vector = self._embedder.embed([query])[0]
        dense, dense_meta = self._dense(vector, pool, since_i, until_i)
        terms = query_terms(query, self._keyword.posts)
        words = terms.lexical_query(query)
        lexical = self._keyword.chunks.search(words, pool, since_i, until_i)
        whole = self._keyword.posts.search(words, pool, since_i, until_i)
        coverage = self._keyword.chunks.coverage(without_unknown(words, terms),
                                                 [cid for cid, _p, _s in lexical[:50]])

        hits: dict[str, SearchHit] = {}
        metas: dict[str, dict[str, Any]] = {}  # of every candidate, for the ones returned
        for _cid, pid, sim in dense:  # texts are fetched later, for the passages shown only
            if pid not in hits:
                hits[pid] = _hit_from_meta(metas.setdefault(pid, dense_meta[pid]))
            hits[pid].dense = max(hits[pid].dense, sim)
        dense_score = {pid: hit.dense for pid, hit in hits.items()}
        keyword_score: dict[str, float] = {}
        keyword_best: dict[str, float] = {}
        for cid, pid, score in lexical:
            keyword_score[pid] = max(keyword_score.get(pid, 0.0), score)
            keyword_best[pid] = max(keyword_best.get(pid, 0.0), coverage.get(cid, 0.0))
        post_score = {pid: score for _id, pid, score in whole}
        missing = [pid for pid in {**keyword_score, **post_score} if pid not in hits]
        for pid in missing:
            if pid in self._keyword.meta:
                hits[pid] = _hit_from_meta(metas.setdefault(pid, self._keyword.meta[pid]))

        # Score fusion, not rank fusion: each retriever's per-post scores become standard
        # scores, so a post far ahead on one side keeps its lead, where ranks would make
        # first-by-a-mile equal to first-by-a-hair (qa55 MRR 0.81 -> 0.84, qa14 0.62 -> 0.68).
        # A BM25 list shorter than asked for holds every post that matches at all: the rest
        # scored 0, which can sit far below the mean (one post alone holds a rare name).
        whole_dense = self._post_vectors.similarities(
            vector, list(hits)) if t.post_vector_weight else {}
        # (Scaling the BM25 channels down when no chunk covers the query's rare words, a
        # paraphrase lever, won one dev paraphrase question and cost the decline decision
        # eight out-of-archive ones: measured 2026-12-01 and left out.)
        channels = [
            (t.dense_weight_for(max(coverage.values(), default=0.0)),
             *_standard_scores(dense_score, t.absent_z, complete=False)),
            (t.post_vector_weight, *_standard_scores(whole_dense, t.absent_z, complete=False)),
            (t.keyword_weight, *_standard_scores(keyword_score, t.absent_z,
                                                 complete=len(lexical) < pool)),
            (t.post_weight, *_standard_scores(post_score, t.absent_z,
                                              complete=len(whole) < pool)),
        ]
        ranked_chunks = _chunk_order(dense, lexical, t.rrf_k)
        unknown_share = len(terms.unfamiliar) / max(
            1, len(terms.rare) + len(terms.common) + len(terms.unknown))
        for pid, hit in hits.items():
            hit.keyword = keyword_best.get(pid, 0.0)
            hit.unknown_share = unknown_share
            # Measured from "not returned", so scores stay positive and absent adds nothing.
            hit.score = sum(w * (z.get(pid, absent) - absent) for w, z, absent in channels)
        results = sorted(hits.values(), key=lambda h: -h.score)
        if tags:
            wanted = {x.lower() for x in tags}
            results = [h for h in results if wanted & {x.lower() for x in h.tags}]
        for hit in results:
            hit.above_floor = t.above_floor(hit)
        if floor:
            results = [h for h in results if h.above_floor]
        results = results[:k]
        for hit in results:  # decoded for the posts returned only, not every candidate
            hit.urls = tuple(urls_of(metas[hit.post_id]))
        self._attach_passages(results, ranked_chunks)
        return results

    def _dense(self, vector: Any, n: int, since: int,
               until: int) -> tuple[list[DenseHit], dict[str, dict[str, Any]]]:
        """The n nearest chunks within the date range, and their posts' metadata."""
        where = _date_where(since, until)
        if where is None:
            return self._with_posts(self._store.nearest_ids(vector, n))
        beam = n * DENSE_WIDEN
        while True:
            nearest = self._store.nearest_ids(vector, beam)
            ranked, meta = self._with_posts(nearest)
            kept = [h for h in ranked if _in_range(meta[h[1]], since, until)]
            # Every allowed chunk nearer than the n-th survivor is in the beam too, so the
            # survivors' head is the filtered query's answer (up to HNSW's approximation).
            if len(kept) >= n or len(nearest) < beam:  # enough, or the beam held every chunk
                return kept[:n], meta
            if not kept:
                break
            beam = math.ceil(1.5 * n * beam / len(kept))  # the beam the seen share needs
            if beam > DENSE_MAX_BEAM:
                break
        return self._with_posts(self._store.nearest_ids(vector, n, where=where))

    def _with_posts(self, ranked: list[tuple[str, float]]
                    ) -> tuple[list[DenseHit], dict[str, dict[str, Any]]]:
        """Attach post ids and post metadata to dense hits, from memory where possible."""
        # Chunk ids are "<post id>#<n>" and the keyword pair keeps every post's metadata,
        # so Chroma is asked only about posts written since it was loaded (by another process).
        known = self._keyword.meta
        post_of = {cid: post_of_chunk(cid) for cid, _sim in ranked}
        meta = {pid: known[pid] for pid in post_of.values() if pid in known}
        unknown = [cid for cid, pid in post_of.items() if pid not in meta]
        for cid, chunk_meta in self._store.metadatas(unknown).items():
            post_of[cid] = str(chunk_meta["post_id"])
            meta.setdefault(post_of[cid], chunk_meta)
        hits = [(cid, post_of[cid], sim) for cid, sim in ranked if post_of[cid] in meta]
        return hits, meta

    def _attach_passages(self, results: list[SearchHit],
                         ranked_chunks: list[tuple[str, str]]) -> None:
        """Give each hit its best chunks (texts and speakers fetched for these only)."""
        wanted: dict[str, list[str]] = {h.post_id: [] for h in results}
        for cid, pid in ranked_chunks:
            if pid in wanted and len(wanted[pid]) < self.tuning.passages_per_post:
                wanted[pid].append(cid)
        need = [cid for cids in wanted.values() for cid in cids]
        passages = {c.id: _passage(c) for c in self._store.get_chunks(need)}
        for hit in results:
            hit.passages = [passages[cid] for cid in wanted[hit.post_id] if cid in passages]
            if not hit.passages:  # found only as a whole post: show its opening
                hit.passages = [_passage(c) for c in self._store.opening_chunks(hit.post_id)]


def _passage(chunk: StoredChunk) -> Passage:
    """A stored chunk as a passage, with the speaker spans kept in its metadata."""
    return Passage(chunk.id, int(chunk.metadata.get("chunk_index", 0)), chunk.text,
                   passage_spans(chunk.metadata, chunk.text))


def _standard_scores(scores: dict[str, float], absent_z: float,
                     complete: bool) -> tuple[dict[str, float], float]:
    """Standard scores over one retriever's candidates, and the score of a post it missed.

    A missed post counts absent_z spreads below the mean, or as a zero score when the list is
    complete and that is lower. The spread is at least 5% of the mean, so when one post
    alone matches (a rare word) it stands far above the rest instead of dividing by zero.
    """
    if not scores:
        return {}, absent_z
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    mean = float(values.mean())
    spread = max(float(values.std()), 0.05 * abs(mean), 1e-9)
    absent = min(absent_z, -mean / spread) if complete else absent_z
    return {key: max((value - mean) / spread, absent) for key, value in scores.items()}, absent


def _chunk_order(dense: list[DenseHit], lexical: list[tuple[str, str, float]],
                 rrf_k: float) -> list[tuple[str, str]]:
    """All candidate chunks (id, post id) ordered by fused rank."""
    score: dict[str, float] = {}
    post_of: dict[str, str] = {}
    for rank, (cid, pid, _sim) in enumerate(dense, 1):
        score[cid] = score.get(cid, 0.0) + 1 / (rrf_k + rank)
        post_of[cid] = pid
    for rank, (cid, pid, _s) in enumerate(lexical, 1):
        score[cid] = score.get(cid, 0.0) + 1 / (rrf_k + rank)
        post_of[cid] = pid
    return [(cid, post_of[cid]) for cid in sorted(score, key=lambda c: -score[c])]


def _date_where(since: int, until: int) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if since:
        clauses.append({"published_int": {"$gte": since}})
    if until:
        clauses.append({"published_int": {"$lte": until}})
        if not since:  # undated posts are 0; a `since` already excludes them
            clauses.append({"published_int": {"$gt": 0}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _in_range(meta: dict[str, Any], since: int, until: int) -> bool:
    """Whether a post's date passes the same test as _date_where."""
    day = int(meta.get("published_int", 0) or 0)
    return (not since or day >= since) and (not until or 0 < day <= until)


def _hit_from_meta(meta: dict[str, Any]) -> SearchHit:
    tags = tuple(t for t in str(meta.get("tags", "")).split(",") if t)
    published = parse_iso_date(str(meta.get("published", ""))) or date_from_int(
        int(meta.get("published_int", 0) or 0))
    return SearchHit(
        post_id=str(meta["post_id"]), title=str(meta.get("title", "")),
        url=str(meta.get("url", "")), source=str(meta.get("source", "")),
        published=published, tags=tags, score=0.0,
    )
