"""The two BM25 views of the archive (per chunk and per whole post), kept in step with Chroma."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.chunking import embedding_text, join_chunks
from knowledge.keyword_index import KeywordDoc, KeywordIndex
from knowledge.store import ChunkStore

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
OLD_VERSION_SECONDS = 60.0
POST_FIELDS = ("post_id", "title", "url", "source", "published", "published_int", "tags",
               "author", "urls")


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

    def mark_stale(self) -> None:
        """Make the next freshness check reload: this view may miss another writer's posts."""
        self.chunks.generation = self.posts.generation = ""

    def save(self, folder: Path, generation: str) -> None:
        """Write both views and their metadata as one version, then switch to it atomically."""
        folder.mkdir(parents=True, exist_ok=True)
        # Every file goes into a fresh folder; CURRENT names the folder in force, so a reader
        # sees the old version whole or the new one whole, never a mix of two writers' files.
        version = folder / f"v-{uuid.uuid4().hex[:12]}"
        version.mkdir()
        (version / "meta.json").write_text(json.dumps(self.meta))
        self.posts.save(version / "posts", generation)
        self.chunks.save(version / "chunks", generation)
        pointer = folder / f".current-{os.getpid()}-{threading.get_ident()}"
        pointer.write_text(json.dumps({"version": version.name, "generation": generation}))
        os.replace(pointer, folder / CURRENT)
        _drop_old_versions(folder, keep=version.name)

    @classmethod
    def load(cls, folder: Path) -> KeywordPair | None:
        """The saved version in force (or an older single-folder layout), if it is sound."""
        version = folder
        try:
            current = json.loads((folder / CURRENT).read_text())
            version = folder / str(current["version"])
        except FileNotFoundError:
            pass  # the layout before versions: the files sit in folder itself
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("keyword index pointer %s is damaged (%s); it will be rebuilt from "
                        "Chroma", folder / CURRENT, exc)
            return None
        chunks = KeywordIndex.load(version / "chunks")
        posts = KeywordIndex.load(version / "posts")
        if chunks is None or posts is None or chunks.generation != posts.generation:
            return None
        try:
            meta = json.loads((version / "meta.json").read_text())
        except (OSError, ValueError):
            meta = None
        if not isinstance(meta, dict) or set(meta) != set(posts.post_ids()):
            log.warning("keyword metadata in %s does not match its index; rebuilding", version)
            return None
        return cls(chunks, posts, meta)

    @classmethod
    def open(cls, folder: Path, store: ChunkStore) -> KeywordPair:
        """The saved views if they match Chroma's generation and size, else rebuilt from it."""
        expected = store.generation()
        saved = cls.load(folder)
        if saved is not None and saved.generation == expected:
            stored = store.count()
            if len(saved.chunks) == stored:
                return saved
            log.warning("keyword index in %s holds %d chunks but Chroma %d; rebuilding it from "
                        "Chroma", folder, len(saved.chunks), stored)
        return cls.rebuild(store, expected)

    @classmethod
    def rebuild(cls, store: ChunkStore, generation: str) -> KeywordPair:
        """Both views built from every chunk in Chroma, stamped with generation."""
        pair = cls()
        if store.count():
            log.info("keyword index is stale or missing; rebuilding it from Chroma")
            # Chroma pages are not grouped by post, so whole posts are assembled at the end.
            rows: list[tuple[str, dict[str, Any], str]] = []
            for chunk in store.chunks():
                rows.append((chunk.id, chunk.metadata, chunk.text))
            pair.add(rows)
        pair.chunks.generation = pair.posts.generation = generation
        return pair


def _drop_old_versions(folder: Path, keep: str) -> None:
    """Remove superseded versions, sparing recent ones a reader may still be loading."""
    now = time.time()
    for old in folder.glob("v-*"):
        try:
            if old.name != keep and now - old.stat().st_mtime > OLD_VERSION_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


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
