"""The Chroma side of the index: one collection of chunks with flat metadata."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import numpy as np

from knowledge.chunking import post_of_chunk
from knowledge.embedding import Embedder

log = logging.getLogger(__name__)

# Chroma tries to rebuild persisted embedding functions by name and warns that ours cannot
# be: it is always passed in explicitly, so the warning is noise.
warnings.filterwarnings("ignore", message="Could not reconstruct embedding function")

COLLECTION = "posts"
GENERATION_KEY = "keyword_generation"
EMBEDDER_KEY = "embedder"
# Chroma's HNSW is approximate; a wider search beam keeps top-k close to exact.
HNSW_CONFIG = {"space": "cosine", "ef_construction": 200, "ef_search": 128, "max_neighbors": 32}
PAGE = 5000


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from Chroma."""

    id: str
    text: str
    metadata: dict[str, Any]


class ChromaEmbeddingFunction:
    """Adapter so Chroma never falls back to its own (downloading) default model."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Sequence[str]) -> list[np.ndarray]:
        return list(self._embedder.embed(list(input)))

    def embed_query(self, input: Sequence[str]) -> list[np.ndarray]:
        return self(input)

    @staticmethod
    def name() -> str:
        return "debate-avatar-minilm"

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> Any:
        # Chroma rebuilds persisted embedding functions by name; ours is always passed in.
        raise NotImplementedError("pass the embedding function explicitly")


def make_client(data_dir: Path, chroma_url: str | None) -> Any:
    """Embedded PersistentClient under data_dir, or HttpClient when a server URL is given."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        parts = urlsplit(chroma_url)
        return chromadb.HttpClient(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (443 if parts.scheme == "https" else 8000),
            ssl=parts.scheme == "https",
            settings=settings,
        )
    path = data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class ChunkStore:
    """Chunks, their vectors and metadata in one Chroma collection (cosine space)."""

    def __init__(self, client: Any, embedder: Embedder, location: str = "") -> None:
        self._client = client
        self.embedder = embedder
        self.location = location  # the folder or server URL, for messages
        self._function = cast(Any, ChromaEmbeddingFunction(embedder))
        self._collection = self._open_collection()
        built_with = (self._collection.metadata or {}).get(EMBEDDER_KEY)
        if built_with and built_with != embedder.name:
            raise ValueError(
                f"the index was built with the {built_with!r} embedder, not {embedder.name!r}: "
                "use the same embedder or re-ingest into a new data dir"
            )

    def _open_collection(self) -> Any:
        return self._client.get_or_create_collection(
            COLLECTION,
            embedding_function=self._function,
            configuration={"hnsw": HNSW_CONFIG},
            metadata={EMBEDDER_KEY: self.embedder.name},
        )

    def reembed(self, batch: int = 256) -> None:
        """Rebuild the vector index from the stored texts (a lost or damaged HNSW segment)."""
        from knowledge.chunking import embedding_text

        chunks = list(self.chunks())
        meta = {k: v for k, v in self._fresh_metadata().items() if not k.startswith("hnsw:")}
        self._client.delete_collection(COLLECTION)
        self._collection = self._open_collection()
        if meta:
            self._collection.modify(metadata=meta)
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            vectors = self.embedder.embed([embedding_text(str(c.metadata.get("title", "")),
                                                          c.text) for c in part])
            self.upsert([c.id for c in part], [c.text for c in part], vectors,
                        [c.metadata for c in part])

    def count(self) -> int:
        """Number of chunks stored."""
        return int(self._collection.count())

    def _fresh_metadata(self) -> dict[str, Any]:
        # A collection object keeps the metadata it was opened with: re-read it, or writes
        # by another process (or another Archive) would never be noticed.
        fresh = self._client.get_collection(COLLECTION, embedding_function=self._function)
        return dict(fresh.metadata or {})

    def generation(self) -> str:
        """The keyword-index generation the collection currently expects."""
        return str(self._fresh_metadata().get(GENERATION_KEY, ""))

    def set_generation(self, generation: str) -> None:
        """Record which keyword-index generation matches the chunks now stored."""
        meta = {k: v for k, v in self._fresh_metadata().items() if not k.startswith("hnsw:")}
        meta[GENERATION_KEY] = generation
        meta[EMBEDDER_KEY] = self.embedder.name
        self._collection.modify(metadata=meta)

    def hashes(self, post_ids: Sequence[str]) -> dict[str, str]:
        """content_hash of each given post that is stored (read from its first chunk)."""
        return {str(m["post_id"]): str(m.get("content_hash", "")) for m in self.heads_of(post_ids)}

    def upsert(self, ids: list[str], texts: list[str], vectors: np.ndarray,
               metadatas: list[dict[str, Any]]) -> None:
        """Write chunks with precomputed vectors (ids are deterministic, so re-runs overwrite)."""
        if ids:
            self._collection.upsert(
                ids=ids, documents=texts, embeddings=vectors, metadatas=cast(Any, metadatas)
            )

    def delete_chunks_from(self, post_id: str, first_stale: int) -> None:
        """Delete a post's chunks numbered first_stale and above."""
        self._collection.delete(
            where={"$and": [{"post_id": post_id}, {"chunk_index": {"$gte": first_stale}}]}
        )

    def delete_posts(self, post_ids: Sequence[str]) -> None:
        """Delete every chunk of the given posts."""
        if post_ids:
            self._collection.delete(where={"post_id": {"$in": list(post_ids)}})

    def heads_of(self, post_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Metadata of the first chunk of each given post that is stored."""
        out: list[dict[str, Any]] = []
        for start in range(0, len(post_ids), 500):
            got = self._collection.get(
                where={"$and": [{"post_id": {"$in": list(post_ids[start : start + 500])}},
                                {"chunk_index": 0}]},
                include=["metadatas"],
            )
            out.extend(dict(m) for m in got["metadatas"] or [])
        return out

    def get_chunks(self, ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks with the given ids (missing ids are skipped)."""
        if not ids:
            return []
        got = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        return [StoredChunk(cid, doc or "", dict(meta)) for cid, doc, meta in
                zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)]

    def opening_chunks(self, post_id: str, n: int = 1) -> list[StoredChunk]:
        """The first n chunks of a post."""
        return sorted(self.chunks(where={"$and": [{"post_id": post_id},
                                                  {"chunk_index": {"$lt": n}}]}),
                      key=lambda c: int(c.metadata.get("chunk_index", 0)))

    def opening_vectors(self) -> list[tuple[dict[str, Any], list[float], str]]:
        """(metadata, vector, text) of every post's first chunk."""
        out: list[tuple[dict[str, Any], list[float], str]] = []
        offset = 0
        while True:
            got = self._collection.get(where={"chunk_index": 0}, limit=PAGE, offset=offset,
                                       include=["metadatas", "embeddings", "documents"])
            metas = got["metadatas"] or []
            out.extend((dict(m), list(v), d or "") for m, v, d in
                       zip(metas, got["embeddings"], got["documents"] or [], strict=True))
            if len(metas) < PAGE:
                return out
            offset += PAGE

    def post_vectors(self, post_ids: Sequence[str]) -> dict[str, list[np.ndarray]]:
        """Every stored chunk vector of each given post (posts not stored are left out)."""
        out: dict[str, list[np.ndarray]] = {}
        for start in range(0, len(post_ids), 500):
            got = self._collection.get(
                where={"post_id": {"$in": list(post_ids[start : start + 500])}},
                include=["embeddings"],
            )
            _by_post(out, got)
        return out

    def chunk_vectors(self, ids: Sequence[str]) -> dict[str, list[np.ndarray]]:
        """The stored vectors of the given chunks, by post, in the order Chroma keeps them."""
        out: dict[str, list[np.ndarray]] = {}
        if ids:
            _by_post(out, self._collection.get(ids=list(ids), include=["embeddings"]))
        return out

    def vector_pages(self, page: int = 2 * PAGE) -> Iterator[tuple[list[str], np.ndarray]]:
        """Every stored chunk vector, in pages of (post ids, vectors)."""
        # At 180k chunks: pages of 5k took 16 s (offset paging), 20k cost +530 MB at peak.
        offset = 0
        while True:
            got = self._collection.get(include=["embeddings"], limit=page, offset=offset)
            ids = got["ids"]
            if ids:
                yield ([post_of_chunk(cid) for cid in ids],
                       np.asarray(got["embeddings"], dtype=np.float32))
            if len(ids) < page:
                return
            offset += page

    def heads(self) -> list[dict[str, Any]]:
        """Metadata of every post's first chunk (one per post)."""
        out: list[dict[str, Any]] = []
        offset = 0
        while True:
            got = self._collection.get(
                where={"chunk_index": 0}, include=["metadatas"], limit=PAGE, offset=offset
            )
            metas = got["metadatas"] or []
            out.extend(dict(m) for m in metas)
            if len(metas) < PAGE:
                return out
            offset += PAGE

    def chunks(self, where: dict[str, Any] | None = None) -> Iterator[StoredChunk]:
        """Every stored chunk (optionally filtered), read in pages."""
        offset = 0
        while True:
            got = self._collection.get(
                where=where, include=["documents", "metadatas"], limit=PAGE, offset=offset
            )
            ids = got["ids"]
            for cid, doc, meta in zip(ids, got["documents"] or [], got["metadatas"] or [],
                                      strict=True):
                yield StoredChunk(cid, doc or "", dict(meta))
            if len(ids) < PAGE:
                return
            offset += PAGE

    def nearest_ids(self, vector: np.ndarray, n: int,
                    where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Ids of the nearest chunks with their cosine similarity, best first."""
        # Ids and distances come from the HNSW segment alone; asking for documents or
        # metadata makes Chroma read ~13 SQLite rows per hit (at 200k chunks about 15 ms
        # per 120 hits), which search does not need for every candidate.
        got = self._collection.query(query_embeddings=[vector], n_results=n, where=where,
                                     include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in
                zip(got["ids"][0], (got["distances"] or [[]])[0], strict=True)]

    def metadatas(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Metadata of the stored chunks with the given ids (missing ids are skipped)."""
        if not ids:
            return {}
        got = self._collection.get(ids=list(ids), include=["metadatas"])
        return {cid: dict(meta) for cid, meta in
                zip(got["ids"], got["metadatas"] or [], strict=True)}

    def post_chunks(self, post_id: str) -> tuple[list[StoredChunk], np.ndarray]:
        """Every chunk of a post with its vector (so it can be moved without re-embedding)."""
        got = self._collection.get(where={"post_id": post_id},
                                   include=["documents", "metadatas", "embeddings"])
        chunks = [StoredChunk(cid, doc or "", dict(meta)) for cid, doc, meta in
                  zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)]
        vectors = np.asarray(got["embeddings"] if len(chunks) else [], dtype=np.float32)
        return chunks, vectors

    def update_metadatas(self, ids: list[str], metadatas: list[dict[str, Any]]) -> None:
        """Replace the metadata of stored chunks (texts and vectors untouched)."""
        if ids:
            self._collection.update(ids=ids, metadatas=cast(Any, metadatas))


def _by_post(out: dict[str, list[np.ndarray]], got: Any) -> None:
    """Add a get's chunk vectors to out under their posts (Chroma's order kept)."""
    # Chroma stores a vector slightly changed from the one upserted (last-bit rounding), so
    # whole-post vectors are taken from what it returns, always in its (insertion) order.
    for cid, vector in zip(got["ids"], got["embeddings"], strict=True):
        out.setdefault(post_of_chunk(cid), []).append(np.asarray(vector, dtype=np.float32))
