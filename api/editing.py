"""The editors' long work, as job functions: read sources or inline posts, then ingest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from api.jobs import JobFailed, Progress, Work
from knowledge.archive import Archive
from knowledge.feed_sync import read_feeds, sync_feeds
from knowledge.post import Post, ReadResult, make_post_id
from knowledge.readers import Fetcher, read_sources

FetcherFactory = Callable[[], Fetcher]
INLINE_SOURCE = "api"


def inline_post(title: str, text: str, *, url: str = "", published: date | None = None,
                tags: Sequence[str] = ()) -> Post:
    """A post given in a request body; its id is its URL, or a hash of title and source."""
    title = title.strip()
    return Post(
        id=make_post_id(url=url.strip(), source=INLINE_SOURCE, title=title),
        title=title, text=text.strip(), url=url.strip(), published=published,
        tags=tuple(t.strip() for t in tags if t.strip()), source=url.strip() or INLINE_SOURCE,
    )


def ingest_posts_work(archive: Archive, posts: list[Post]) -> Work:
    """Work that indexes posts already in hand."""

    def work(progress: Progress) -> dict[str, Any]:
        return archive.ingest(posts, progress=progress).to_json()

    return work


def read_and_ingest_work(archive: Archive, sources: Sequence[str],
                         fetcher: FetcherFactory) -> Work:
    """Work that reads URLs (page, feed, sitemap, export) and indexes what they hold."""
    todo = list(sources)

    def work(progress: Progress) -> dict[str, Any]:
        with fetcher() as client:
            result = read_sources(todo, fetcher=client)
        return _ingest_read(archive, result, progress)

    return work


def sync_work(archive: Archive, feeds: Sequence[str], fetcher: FetcherFactory) -> Work:
    """Work that re-reads feeds, indexes what they hold and removes what vanished from them."""
    todo = list(feeds)

    def work(progress: Progress) -> dict[str, Any]:
        with fetcher() as client:
            reads = read_feeds(todo, client)
        report = sync_feeds(archive, reads, progress=progress)
        if report.failed and not any(read.posts for read in reads.values()):
            reasons = "; ".join(f"{f.source}: {f.error}" for f in report.failed[:5])
            raise JobFailed(f"nothing could be read ({reasons})", report.to_json())
        return report.to_json()

    return work


def _ingest_read(archive: Archive, result: ReadResult, progress: Progress) -> dict[str, Any]:
    report = archive.ingest(result.posts, progress=progress)
    report.failed.extend(result.failures)
    if result.failures and not result.posts:
        # Every source failed: the job failed, and the report still names each reason.
        reasons = "; ".join(f"{f.source}: {f.error}" for f in result.failures[:5])
        raise JobFailed(f"nothing could be read ({reasons})", report.to_json())
    return report.to_json()
