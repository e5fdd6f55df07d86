"""The LangChain-tutorial peer as a retriever: vector search and the BM25 + vector ensemble.

Both read the Chroma index `run_tutorial_pipeline` builds (kept in a cache folder between
runs, since embedding the evaluation archive that way takes ~4 minutes here). Vector: 20
nearest chunks, their posts in order of first appearance. Ensemble: what LangChain's
EnsembleRetriever does with a BM25Retriever and the vector retriever at weights 0.5/0.5 —
BM25Okapi (rank_bm25) over the same chunks, whitespace-split as BM25Retriever's default
preprocessing, 20 chunks each, fused by weighted reciprocal rank (c = 60), deduplicated by
chunk text — then posts in order of first appearance.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from benchmarks.tutorial_pipeline import SentenceTransformerEmbeddings, run_tutorial_pipeline
from knowledge.post import Post

CHUNKS = 20     # chunks each retriever returns (the README's "20 chunks -> 5 posts")
RRF_C = 60      # EnsembleRetriever's default rank constant
STAMP = "tutorial-index.json"


class TutorialRetrievers:
    """The tutorial's Chroma index over a set of posts, searched both ways."""

    def __init__(self, posts: list[Post], cache_dir: Path,
                 key: Callable[[Post], str]) -> None:
        from langchain_chroma import Chroma
        from rank_bm25 import BM25Okapi

        wanted = sorted(p.id for p in posts)
        stamp = cache_dir / STAMP
        if not stamp.exists() or json.loads(stamp.read_text()).get("posts") != wanted:
            # The index only holds title and source per chunk, so each chunk's post key is
            # stored through the source field (an unchanged cache is reused as is).
            keyed = [replace(p, source=key(p)) for p in posts]
            run = run_tutorial_pipeline(keyed, cache_dir)
            stamp.write_text(json.dumps({"posts": wanted, "chunks": run.chunks,
                                         "seconds": round(run.seconds, 1)}))
        self._db = Chroma(persist_directory=str(cache_dir),
                          embedding_function=SentenceTransformerEmbeddings())
        got = self._db.get(include=["documents", "metadatas"])
        self._texts: list[str] = list(got["documents"])
        self._keys = [str(m["source"]) for m in got["metadatas"]]
        self._bm25 = BM25Okapi([t.split() for t in self._texts])

    def vector(self, query: str) -> list[str]:
        """Post keys of the 20 nearest chunks, first appearance first."""
        docs = self._db.similarity_search(query, k=CHUNKS)
        return _unique(str(d.metadata["source"]) for d in docs)

    def ensemble(self, query: str) -> list[str]:
        """Post keys of the weighted-RRF fusion of BM25 and vector chunks."""
        scores = self._bm25.get_scores(query.split())
        top = sorted(range(len(scores)), key=lambda i: -scores[i])[:CHUNKS]
        bm25 = [(self._texts[i], self._keys[i]) for i in top]
        dense = [(d.page_content, str(d.metadata["source"]))
                 for d in self._db.similarity_search(query, k=CHUNKS)]
        fused: dict[str, float] = {}
        key_of: dict[str, str] = {}
        for ranked in (bm25, dense):
            for rank, (text, key) in enumerate(ranked, 1):
                fused[text] = fused.get(text, 0.0) + 0.5 / (rank + RRF_C)
                key_of[text] = key
        return _unique(key_of[t] for t in sorted(fused, key=lambda t: -fused[t]))


def _unique(keys: object) -> list[str]:
    """Keys in order of first appearance."""
    return list(dict.fromkeys(keys))  # type: ignore[call-overload]
