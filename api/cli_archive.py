"""`avatar ingest | sync | posts | remove | search | serve`: the archive from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api import services
from api.settings import Settings
from knowledge.archive import Archive, IngestReport
from knowledge.feed_sync import read_feeds, sync_feeds
from knowledge.post import ReadResult
from knowledge.readers import read_sources

err = Console(stderr=True)


def add_commands(sub: Any) -> None:
    """Register the archive commands on the top-level parser."""
    p = sub.add_parser("ingest", help="add posts from feeds, exports, sitemaps, pages, files")
    p.add_argument("sources", nargs="*", metavar="SOURCE")
    p.add_argument("--sample", action="store_true", help="ingest the bundled sample blog")
    p.add_argument("--if-empty", action="store_true", help="only when the index is empty")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("sync", help="re-read the persona's configured feeds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser("posts", help="list what is indexed")
    p.add_argument("--json", action="store_true")
    p.add_argument("--count", action="store_true", help="print only the number of posts")
    p.set_defaults(handler=cmd_posts)

    p = sub.add_parser("remove", help="remove posts (and all their chunks) by id")
    p.add_argument("post_ids", nargs="+", metavar="POST_ID")
    p.set_defaults(handler=cmd_remove)

    p = sub.add_parser("search", help="find the posts that answer a query")
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--queries", type=Path, help="file with one query per line (use --json)")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--until", type=date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--tag", action="append", default=[], help="only posts with this tag")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("topics", help="the author's main topics, computed from the index")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_topics)

    p = sub.add_parser("own", help="record the configured persona as this archive's author")
    p.set_defaults(handler=cmd_own)

    p = sub.add_parser("serve", help="serve the web page, the HTTP API and Slack events")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (8000)")
    p.set_defaults(handler=cmd_serve)


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Any]:
    """A progress bar on stderr (so --json output stays clean); a no-op callback when quiet."""
    if quiet or not err.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def ingest_result(archive: Archive, result: ReadResult, quiet: bool) -> IngestReport:
    """Index what was read and fold the read failures into the report."""
    with _progress("indexing posts", quiet) as progress:
        report = archive.ingest(result.posts, progress=progress)
    report.failed.extend(result.failures)
    return report


def _read(sources: list[str], settings: Settings, quiet: bool) -> ReadResult:
    with services.make_fetcher(settings) as fetcher:
        if quiet or not err.is_terminal:
            return read_sources(sources, fetcher=fetcher)
        with err.status(f"reading {len(sources)} source(s)…"):
            return read_sources(sources, fetcher=fetcher)


def _print_report(report: IngestReport, as_json: bool, had_sources: bool) -> int:
    if as_json:
        print(json.dumps(report.to_json()))
    else:
        for failure in report.failed:
            err.print(f"[red]failed[/red] {failure.source}: {failure.error}", highlight=False)
        for skipped in report.not_removed:
            err.print(f"[yellow]kept[/yellow] {skipped.source}: {skipped.reason}",
                      highlight=False)
        for post_id in report.removed_posts:
            print(f"removed {post_id} (no longer in its feed)")
        grouped = f"{report.grouped} grouped with a near-duplicate, " if report.grouped else ""
        print(f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
              f"{grouped}{report.removed} removed, {len(report.failed)} failed "
              f"({report.chunks} chunks embedded)")
    ingested = report.added + report.updated + report.unchanged + report.grouped
    # Exit 1 only when every source failed: a partial success is still a success.
    return 1 if had_sources and report.failed and not ingested else 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """avatar ingest SOURCE... [--sample] [--if-empty] [--json]"""
    sources = list(args.sources)
    if args.sample:
        sources.append(str(services.sample_blog_path()))
    if not sources:
        raise ValueError("give at least one SOURCE (feed/page/sitemap URL, file or folder) "
                         "or --sample")
    services.persona_of(settings, claim=True)
    archive = services.open_archive_to_write(settings)
    if args.if_empty and archive.store.count() > 0:
        if not args.json:
            print(f"index already has {archive.count_posts()} posts; nothing to do")
        return 0
    result = _read(sources, settings, args.json)
    report = ingest_result(archive, result, args.json)
    return _print_report(report, args.json, had_sources=True)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    """avatar sync [--json]: re-read the persona's feeds."""
    persona = services.persona_of(settings, claim=True)
    if not persona.feeds:
        raise ValueError(f"the persona {persona.name!r} lists no feeds to sync")
    archive = services.open_archive_to_write(settings)
    with services.make_fetcher(settings) as fetcher:
        if args.json or not err.is_terminal:
            reads = read_feeds(list(persona.feeds), fetcher)
        else:
            with err.status(f"reading {len(persona.feeds)} feed(s)…"):
                reads = read_feeds(list(persona.feeds), fetcher)
    with _progress("indexing posts", args.json) as progress:
        # Posts gone from a feed read whole are removed too (see knowledge.feed_sync).
        report = sync_feeds(archive, reads, progress=progress)
    return _print_report(report, args.json, had_sources=True)


def cmd_posts(args: argparse.Namespace, settings: Settings) -> int:
    """avatar posts [--json] [--count]"""
    archive = services.open_archive(settings)
    if args.count:
        print(archive.count_posts())
        return 0
    posts = archive.posts()
    if args.json:
        print(json.dumps([p.to_json() for p in posts]))
        return 0
    for p in posts:
        when = p.published.isoformat() if p.published else "----------"
        also = f"  (also {', '.join(u for u in p.urls if u != p.url)})" if len(p.urls) > 1 else ""
        print(f"{when}  {p.title}  [{p.post_id}]{also}")
    print(f"{len(posts)} posts", file=sys.stderr)
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """avatar remove POST_ID..."""
    archive = services.open_archive_to_write(settings)
    removed = archive.remove(args.post_ids)
    print(f"{removed} removed, {len(args.post_ids) - removed} not found")
    return 0 if removed else 1


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """avatar search QUERY | --queries FILE [--k 5] [--since D] [--until D] [--json]"""
    if bool(args.query) == bool(args.queries):
        raise ValueError("give either a QUERY or --queries FILE")
    archive = services.open_archive(settings)
    tags = tuple(args.tag)
    if args.queries:
        for line in args.queries.read_text(encoding="utf-8").splitlines():
            if line.strip():
                hits = archive.search(line, args.k, args.since, args.until, tags)
                print(json.dumps([h.to_json() for h in hits]), flush=True)
        return 0
    hits = archive.search(args.query, args.k, args.since, args.until, tags)
    if args.json:
        print(json.dumps([h.to_json() for h in hits]))
        return 0
    if not hits:
        print("Nothing in the archive is relevant to that.")
    for i, h in enumerate(hits, 1):
        when = h.published.isoformat() if h.published else ""
        print(f"{i}. {h.title} ({when}) {h.url or h.source}\n   {h.snippet}\n")
    return 0


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    """avatar topics [--json]"""
    topic_map = services.open_archive(settings).topics()
    if args.json:
        print(json.dumps(topic_map.to_json()))
        return 0
    for topic in topic_map.topics:
        examples = "; ".join(e.title for e in topic.examples)
        print(f"{topic.label} ({topic.posts} posts): {', '.join(topic.terms)}\n   e.g. {examples}")
    return 0


def cmd_own(args: argparse.Namespace, settings: Settings) -> int:
    """avatar [--persona FILE] own"""
    persona = services.hand_over(settings)
    print(f"the archive in {settings.data_dir} is now {persona.name}'s")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """avatar serve [--host H] [--port P]"""
    import uvicorn

    from api.app import create_app
    from api.ports import PortBusy, check_port_free

    try:
        check_port_free(args.host, args.port)
    except PortBusy as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        return 2
    uvicorn.run(create_app(settings, public_url=f"http://{args.host}:{args.port}"),
                host=args.host, port=args.port)
    return 0
