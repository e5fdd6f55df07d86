"""Split a post into bounded, overlapping chunks along paragraph and sentence lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.post import Post
from knowledge.sentences import split_sentences

# MiniLM truncates at 256 word pieces; ~150 words plus the title stays under it,
# so the dense vector sees the whole chunk and BM25 sees the same text.
DEFAULT_MAX_WORDS = 150
DEFAULT_OVERLAP_WORDS = 25



@dataclass(frozen=True)
class Chunk:
    """A bounded piece of a post's text, numbered within its post."""

    post_id: str
    index: int
    text: str
    overlap: int = 0  # leading characters repeated from the previous chunk
    joiner: str = ""  # what separates this chunk from the previous one when overlap is 0
    start: int = 0  # where the chunk's text begins in the post's text

    @property
    def id(self) -> str:
        """Deterministic chunk id: the post id and the chunk number."""
        return chunk_id(self.post_id, self.index)


def chunk_id(post_id: str, index: int) -> str:
    """The id a post's chunk number `index` is stored under."""
    return f"{post_id}#{index}"


def post_of_chunk(chunk_id: str) -> str:
    """The post id a chunk id belongs to (the inverse of chunk_id)."""
    return chunk_id.rsplit("#", 1)[0]


def _pieces(text: str, max_words: int) -> list[str]:
    """Sentences, with any single over-long sentence cut into max_words slices."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        sentences = split_sentences(" ".join(paragraph.split()))
        for sentence in sentences:
            words = sentence.split()
            if len(words) <= max_words:
                pieces.append(sentence)
            else:
                pieces.extend(
                    " ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)
                )
        if sentences:
            pieces.append("\n")  # paragraph boundary marker
    return pieces


def chunk_text(text: str, max_words: int = DEFAULT_MAX_WORDS,
               overlap_words: int = DEFAULT_OVERLAP_WORDS) -> list[str]:
    """Pack sentences into chunks of at most max_words, carrying a short overlap."""
    return [t for t, _o, _j in chunk_spans(text, max_words, overlap_words)]


def chunk_spans(text: str, max_words: int = DEFAULT_MAX_WORDS,
                overlap_words: int = DEFAULT_OVERLAP_WORDS) -> list[tuple[str, int, str]]:
    """Chunks as (text, characters repeated from the previous chunk, joiner).

    `join_chunks` rebuilds the post exactly from these: each chunk after the first adds
    its joiner (only needed when there is no overlap) and its text past the overlap.
    """
    chunks: list[tuple[str, int, str]] = []
    current: list[str] = []
    count = 0
    overlap, joiner = 0, ""
    for piece in _pieces(text, max_words):
        if piece == "\n":
            if current and current[-1] != "\n":
                current.append("\n")
            continue
        n = len(piece.split())
        if count and count + n > max_words:
            chunks.append((_join(current), overlap, joiner))
            after_paragraph = current[-1] == "\n"
            current, count = _overlap_tail(current, overlap_words)
            overlap = len(_join(current)) if count else 0
            joiner = "" if overlap else ("\n\n" if after_paragraph else " ")
        current.append(piece)
        count += n
    if count:
        chunks.append((_join(current), overlap, joiner))
    return chunks


def _overlap_tail(pieces: list[str], overlap_words: int) -> tuple[list[str], int]:
    """The last sentences of a chunk (paragraph marks kept), up to overlap_words."""
    tail: list[str] = []
    count = 0
    for piece in reversed(pieces):
        if piece == "\n":
            tail.insert(0, piece)
            continue
        n = len(piece.split())
        if count + n > overlap_words:
            break
        tail.insert(0, piece)
        count += n
    while tail and tail[0] == "\n":
        tail.pop(0)
    return (tail, count) if count else ([], 0)


def _join(pieces: list[str]) -> str:
    text = " ".join(pieces).replace(" \n ", "\n\n").replace(" \n", "").strip()
    return text.strip("\n ")


def chunk_post(post: Post, max_words: int = DEFAULT_MAX_WORDS,
               overlap_words: int = DEFAULT_OVERLAP_WORDS) -> list[Chunk]:
    """Chunks of a post's text; the title travels separately in each chunk's metadata."""
    spans = chunk_spans(post.text, max_words, overlap_words)
    return [
        Chunk(post_id=post.id, index=i, text=t, overlap=o, joiner=j, start=start)
        for i, ((t, o, j), start) in enumerate(zip(spans, chunk_starts(spans), strict=True))
    ]


def join_chunks(chunks: list[tuple[str, int, str]]) -> str:
    """Rebuild a post's text from its (text, overlap, joiner) chunks in order."""
    if not chunks:
        return ""
    parts = [chunks[0][0]]
    for text, overlap, joiner in chunks[1:]:
        parts.append(text[overlap:] if overlap else joiner + text)
    return "".join(parts)


def chunk_starts(chunks: list[tuple[str, int, str]]) -> list[int]:
    """Where each (text, overlap, joiner) chunk begins in the text join_chunks rebuilds."""
    starts: list[int] = []
    end = 0
    for text, overlap, joiner in chunks:
        start = 0 if not starts else (end - overlap if overlap else end + len(joiner))
        starts.append(start)
        end = start + len(text)
    return starts


def embedding_text(title: str, chunk_text: str) -> str:
    """What gets embedded and keyword-indexed: the title first, so a chunk alone makes sense."""
    return f"{title}\n\n{chunk_text}" if title else chunk_text
