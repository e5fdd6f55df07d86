"""Carry a group change into Chroma and BM25 without embedding: new labels, or a new id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from knowledge.chunking import chunk_id
from knowledge.keyword_pair import KeywordPair
from knowledge.metadata import chunk_speakers
from knowledge.post import Post
from knowledge.post_groups import Group
from knowledge.store import ChunkStore, StoredChunk


def relabel(store: ChunkStore, keyword: KeywordPair, group: Group) -> None:
    """Write a group's members, URLs and earliest date onto every chunk it has."""
    chunks = list(store.chunks(where={"post_id": group.id}))
    if not chunks:
        return
    fields = group.fields()
    metas = [{**c.metadata, **fields} for c in chunks]
    store.update_metadatas([c.id for c in chunks], metas)
    # BM25 keeps each chunk's date for range filters, so the post is indexed again.
    keyword.remove_posts([group.id])
    keyword.add(zip([c.id for c in chunks], metas, [c.text for c in chunks], strict=True))


def move(store: ChunkStore, keyword: KeywordPair, old_id: str, group: Group) -> None:
    """Store a group's chunks under its new id (its holder left), vectors copied as they are."""
    chunks, vectors = store.post_chunks(old_id)
    if not chunks:
        return
    holder = group.member(group.id)
    fields: dict[str, Any] = {**group.fields(), "post_id": group.id}
    if holder is not None:
        fields.update(url=holder.url, source=holder.source)
    rows = []
    for chunk in chunks:
        index = int(chunk.metadata.get("chunk_index", 0))
        rows.append((chunk_id(group.id, index), {**chunk.metadata, **fields}, chunk.text))
    # Chunk 0 marks a post as stored, so it goes last and the old id goes after it: a crash
    # midway leaves the old group whole (a rebuilt index may then list both, not neither).
    later = [i for i, row in enumerate(rows) if row[1].get("chunk_index", 0) != 0]
    first = [i for i, row in enumerate(rows) if row[1].get("chunk_index", 0) == 0]
    for part in (later, first):
        store.upsert([rows[i][0] for i in part], [rows[i][2] for i in part], vectors[part],
                     [rows[i][1] for i in part])
    store.delete_posts([old_id])
    keyword.remove_posts([old_id])
    keyword.add(rows)


def respeak(store: ChunkStore, posts: Sequence[Post], batch: int = 200) -> None:
    """Label stored posts' chunks anew from the posts as read now (metadata only).

    Read and written in batches of posts: after an upgrade every post of a 30,000-post
    archive may need it, and a query per post would cost minutes.
    """
    for start in range(0, len(posts), batch):
        part = {p.id: p for p in posts[start:start + batch]}
        by_post: dict[str, list[StoredChunk]] = {}
        for chunk in store.chunks(where={"post_id": {"$in": list(part)}}):
            by_post.setdefault(str(chunk.metadata.get("post_id")), []).append(chunk)
        ids: list[str] = []
        metas: list[dict[str, Any]] = []
        for post_id, chunks in by_post.items():
            post = part[post_id]
            # Chunks overlap and follow the post in order: each is found from where the
            # last began.
            at = 0
            for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0))):
                found = post.text.find(chunk.text, at)
                at = max(found, at)
                ids.append(chunk.id)
                metas.append({**chunk.metadata, **chunk_speakers(post, chunk.text, found)})
        store.update_metadatas(ids, metas)
