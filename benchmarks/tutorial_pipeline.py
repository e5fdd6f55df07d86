"""The LangChain RAG tutorial's indexing pipeline, the peer the ingest benchmark is held to.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200), the same packaged MiniLM
through sentence-transformers (HuggingFaceEmbeddings' defaults: full precision, batches of 32,
no normalisation), and `Chroma.from_documents` into a fresh embedded Chroma. The only
stand-in is a four-line `Embeddings` adapter doing what HuggingFaceEmbeddings does, because
langchain-huggingface pins an older huggingface_hub than the rest of the stack uses.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from knowledge.embedding import packaged_model_path
from knowledge.post import Post


@dataclass(frozen=True)
class TutorialRun:
    """What the tutorial pipeline did: chunks made and wall time (split + embed + store)."""

    chunks: int
    seconds: float


class SentenceTransformerEmbeddings(Embeddings):
    """HuggingFaceEmbeddings' behaviour: SentenceTransformer.encode with its defaults."""

    def __init__(self) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(packaged_model_path()), device="cpu",
                                          local_files_only=True)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""
        return [list(map(float, v)) for v in self._model.encode(texts, batch_size=32)]

    def embed_query(self, text: str) -> list[float]:
        """The vector of one text."""
        return self.embed_documents([text])[0]


def run_tutorial_pipeline(posts: list[Post], data_dir: Path) -> TutorialRun:
    """Index the posts the way the tutorial does and time it (model loading excluded)."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    embeddings = SentenceTransformerEmbeddings()
    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = splitter.split_documents(
        [Document(page_content=p.text, metadata={"title": p.title, "source": p.source})
         for p in posts])
    Chroma.from_documents(docs, embeddings, persist_directory=str(data_dir))
    return TutorialRun(chunks=len(docs), seconds=time.perf_counter() - started)
