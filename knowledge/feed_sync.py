"""Sync feeds: ingest what each feed holds, and remove the posts that vanished from it.

A post is removed only when the feed it was read from was read whole (every entry it
declares, no failure: see knowledge.readers.feeds.read_whole) and no longer lists it. A feed
that failed, was cut short, had a bad entry or cannot tell its size removes nothing; nor does
a read that would remove every post the feed gave before (an emptied or replaced feed is far
likelier a mistake than an author deleting his whole blog). Posts read from files or other
feeds are never touched: each stored URL remembers every source it was read from, and a
feed withdraws only its own word for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.archive import Archive, Progress
from knowledge.archive_reports import IngestReport, Skipped
from knowledge.post import ReadResult
from knowledge.post_groups import Member
from knowledge.readers import Fetcher, read_source
from knowledge.readers.sources import dedupe


def read_feeds(feeds: Sequence[str], fetcher: Fetcher | None) -> dict[str, ReadResult]:
    """Each feed's own read (kept apart: what one feed lists says nothing of another)."""
    return {feed: read_source(feed, fetcher=fetcher) for feed in dict.fromkeys(feeds)}


def sync_feeds(archive: Archive, reads: dict[str, ReadResult],
               progress: Progress | None = None) -> IngestReport:
    """Ingest every feed's posts, then remove what vanished from feeds read whole."""
    merged = ReadResult()
    for read in reads.values():
        merged.extend(read)
    merged = dedupe(merged)
    report = archive.ingest(merged.posts, progress=progress)
    report.sync = True
    report.failed.extend(merged.failures)
    for feed, read in reads.items():
        gone, reason = vanished(feed, read, archive.members_from(feed))
        if reason:
            report.not_removed.append(Skipped(feed, reason))
        if gone:
            removed = archive.remove_members(gone, source=feed)
            report.removed += len(removed)
            report.removed_posts.extend(removed)
    return report


def vanished(feed: str, read: ReadResult, members: list[Member]) -> tuple[list[str], str]:
    """The ids of stored posts this feed no longer lists, or why none may be removed."""
    if not members:
        return [], ""
    present = {p.id for p in read.posts}
    gone = [m.id for m in members if m.id not in present]
    if not gone:
        return [], ""
    if read.failures:
        return [], (f"{len(gone)} stored post(s) are missing from it, but it was not read "
                    f"cleanly ({read.failures[0].error}); nothing removed")
    if feed not in read.complete:
        return [], (f"{len(gone)} stored post(s) are missing from it, but it does not show "
                    "that it was read whole (only a feed declaring its size, as Blogger's "
                    "does, can); nothing removed")
    if len(gone) == len(members):
        return [], (f"it no longer lists any of the {len(members)} post(s) read from it "
                    "before; nothing removed (use `avatar remove` if they really are gone)")
    return gone, ""
