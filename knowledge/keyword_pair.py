"""The two BM25 views of the archive (per chunk and per whole post), kept in step with Chroma."""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.chunking import embedding_text, join_chunks
from knowledge.keyword_index import KeywordDoc, KeywordIndex
from knowledge.store import ChunkStore

log = logging.getLogger(__name__)

POST_FIELDS = ("post_id", "title", "url", "source", "published", "published_int", "tags",
               "author")


@dataclass
class KeywordPair:
    """Chunk-level BM25 finds the passage; post-level BM25 rewards a post that is about it all."""

    chunks: KeywordIndex = field(default_factory=KeywordIndex)
    posts: KeywordIndex = field(default_factory=KeywordIndex)
    # Post-level metadata, so a post found by keywords alone needs no Chroma lookup.
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    _authors: tuple[str, ...] | None = field(default=None, repr=False)

    def author_names(self) -> tuple[str, ...]:
        """Every author named by the archive's posts (cached until the next write)."""
        if self._authors is None:
            self._authors = tuple(sorted({str(m.get("author") or "") for m in self.meta.values()}
                                         - {""}))
        return self._authors

    @property
    def generation(self) -> str:
        """The Chroma generation both views match."""
        return self.chunks.generation

    def add(self, chunk_rows: Iterable[tuple[str, dict[str, Any], str]]) -> None:
        """Index chunks (id, Chroma metadata, text); whole posts are indexed from chunk 0..n."""
        rows = list(chunk_rows)
        self.chunks.add(_chunk_doc(cid, meta, text) for cid, meta, text in rows)
        self.posts.add(_post_docs(rows))
        for _cid, meta, _text in rows:
            self.meta[str(meta["post_id"])] = {k: meta.get(k, "") for k in POST_FIELDS}
        self._authors = None

    def remove_posts(self, post_ids: list[str]) -> None:
        """Drop posts from both views."""
        self.chunks.remove_posts(post_ids)
        self.posts.remove_posts(post_ids)
        for pid in post_ids:
            self.meta.pop(pid, None)
        self._authors = None

    def save(self, folder: Path, generation: str) -> None:
        """Write both views, stamped with the generation Chroma will carry."""
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".meta-{os.getpid()}.json"
        tmp.write_text(json.dumps(self.meta))
        os.replace(tmp, folder / "meta.json")
        self.posts.save(folder / "posts", generation)
        self.chunks.save(folder / "chunks", generation)

    @classmethod
    def open(cls, folder: Path, store: ChunkStore) -> KeywordPair:
        """The saved views if they match Chroma's generation, else both rebuilt from Chroma."""
        expected = store.generation()
        chunks = KeywordIndex.load(folder / "chunks")
        posts = KeywordIndex.load(folder / "posts")
        if chunks and posts and chunks.generation == posts.generation == expected:
            try:
                meta = json.loads((folder / "meta.json").read_text())
            except (OSError, ValueError):
                meta = None
            if isinstance(meta, dict):
                return cls(chunks, posts, meta)
        pair = cls()
        if store.count():
            log.info("keyword index is stale or missing; rebuilding it from Chroma")
            # Chroma pages are not grouped by post, so whole posts are assembled at the end.
            rows: list[tuple[str, dict[str, Any], str]] = []
            for chunk in store.chunks():
                rows.append((chunk.id, chunk.metadata, chunk.text))
            pair.add(rows)
        pair.chunks.generation = pair.posts.generation = expected
        return pair


def _chunk_doc(cid: str, meta: dict[str, Any], text: str) -> KeywordDoc:
    return KeywordDoc(
        chunk_id=cid, post_id=str(meta["post_id"]),
        published_int=int(meta.get("published_int", 0) or 0),
        text=embedding_text(str(meta.get("title", "")), text),
    )


def _post_docs(rows: list[tuple[str, dict[str, Any], str]]) -> list[KeywordDoc]:
    """One document per post: its title and its chunks joined without their overlaps."""
    grouped: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    meta_of: dict[str, dict[str, Any]] = {}
    for _cid, meta, text in rows:
        pid = str(meta["post_id"])
        grouped[pid].append((int(meta.get("chunk_index", 0)), int(meta.get("overlap", 0)),
                             str(meta.get("joiner", " ")), text))
        meta_of[pid] = meta
    docs = []
    for pid, parts in grouped.items():
        parts.sort()
        text = join_chunks([(t, o, j) for _i, o, j, t in parts])
        meta = meta_of[pid]
        docs.append(KeywordDoc(chunk_id=pid, post_id=pid,
                               published_int=int(meta.get("published_int", 0) or 0),
                               text=embedding_text(str(meta.get("title", "")), text)))
    return docs
