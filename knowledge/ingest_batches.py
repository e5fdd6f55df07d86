"""How an ingest walks its work: posts in bounded batches, each embedded one batch ahead."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from knowledge.post import Post

T = TypeVar("T")
R = TypeVar("R")


def one_ahead(executor: ThreadPoolExecutor, work: Callable[[T], R],
              items: Iterable[T]) -> Iterator[R]:
    """work(item) for each item in order, the next one already running while this one is used."""
    pending: Future[R] | None = None
    for item in items:
        submitted = executor.submit(work, item)
        if pending is not None:
            yield pending.result()
        pending = submitted
    if pending is not None:
        yield pending.result()


def batches(todo: list[tuple[Post, bool]], max_chunks: int) -> Iterator[list[tuple[Post, bool]]]:
    """The posts to write, grouped to about max_chunks chunks each."""
    batch: list[tuple[Post, bool]] = []
    size = 0
    for item in todo:
        batch.append(item)
        size += max(1, len(item[0].text.split()) // 120)
        if size >= max_chunks:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
