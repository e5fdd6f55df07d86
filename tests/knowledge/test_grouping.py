"""Near-duplicate posts are one post: one result, every URL, the earliest date (real Chroma)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from knowledge.archive import Archive
from knowledge.group_index import INDEX_FILE
from knowledge.integrity import check
from knowledge.post import Post
from tests.knowledge.conftest import OpenArchive
from tests.knowledge.cross_posts import cross_post, original, quoting_post, retrailed
from tests.support.embedders import CountingEmbedder

QUERY = "smart water meters leaks old quarter free fifty litres"
GROUP_FIELDS = {"urls", "members", "dup_bands"}


@pytest.fixture
def archive(tmp_path: Path, open_archive: OpenArchive, counting: CountingEmbedder) -> Archive:
    """An empty archive of its own."""
    return open_archive(tmp_path / "data", embedder_=counting)


def meter_hits(archive: Archive) -> list[dict[str, object]]:
    return [h.to_json() for h in archive.search(QUERY, k=5)]


def test_a_cross_posted_pair_is_one_result_with_both_urls_and_the_earliest_date(
        archive: Archive) -> None:
    first, second = original(), cross_post()
    # Fed newest first, as feeds list them: the earliest copy still holds the group.
    report = archive.ingest([second, first])
    assert (report.added, report.grouped) == (1, 1)
    hits = meter_hits(archive)
    assert len(hits) == 1
    assert hits[0]["post_id"] == first.id
    assert hits[0]["urls"] == [first.url, second.url]
    assert hits[0]["published"] == "2024-03-12"
    [listed] = archive.posts()
    assert listed.to_json()["urls"] == [first.url, second.url]
    assert listed.published == date(2024, 3, 12)


def test_a_later_cross_post_joins_without_embedding_and_keeps_the_earlier_date(
        archive: Archive, counting: CountingEmbedder) -> None:
    # The e-mail copy is indexed first; the main blog's earlier copy arrives next sync.
    archive.ingest([cross_post()])
    counting.reset()
    report = archive.ingest([original()])
    assert (report.added, report.grouped, report.chunks) == (0, 1, 0)
    assert counting.calls == 0
    [hit] = archive.search(QUERY, k=5)
    assert hit.post_id == cross_post().id
    assert hit.urls == (original().url, cross_post().url)
    assert hit.published == date(2024, 3, 12)
    # The earlier date counts for date filters too (BM25 and Chroma alike).
    assert [h.post_id for h in archive.search(QUERY, until=date(2024, 3, 13))] == [hit.post_id]


def test_a_copy_with_a_changed_trailer_is_grouped(archive: Archive) -> None:
    report = archive.ingest([original(), retrailed()])
    assert (report.added, report.grouped) == (1, 1)
    [hit] = meter_hits(archive)
    assert hit["urls"] == [original().url, retrailed().url]


def test_a_later_post_quoting_one_in_full_with_a_comment_stays_separate(
        archive: Archive) -> None:
    report = archive.ingest([original(), quoting_post()])
    assert (report.added, report.grouped) == (2, 0)
    ids = {h["post_id"] for h in meter_hits(archive)}
    assert ids == {original().id, quoting_post().id}
    assert archive.count_posts() == 2


def test_removing_one_url_keeps_the_group_while_another_remains(
        archive: Archive, counting: CountingEmbedder) -> None:
    first, second = original(), cross_post()
    archive.ingest([first, second])
    counting.reset()
    # The removed URL held the indexed text: the group moves to the other URL, vectors kept.
    assert archive.remove([first.id]) == 1
    assert counting.calls == 0
    [hit] = archive.search(QUERY, k=5)
    assert (hit.post_id, hit.url, hit.urls) == (second.id, second.url, (second.url,))
    assert hit.published == date(2024, 3, 14)
    assert [s.post_id for s in archive.posts()] == [second.id]
    assert archive.store.count() == len(list(archive.store.chunks(
        where={"post_id": second.id})))
    integrity = check(archive)  # Chroma and BM25 agree on the moved post, chunk for chunk
    assert integrity.ok, integrity.problems
    # Re-ingesting the remaining URL is free; re-adding the removed one groups again.
    assert archive.ingest([second]).unchanged == 1
    assert archive.ingest([first]).grouped == 1
    assert archive.remove([second.id, first.id]) == 2
    assert archive.search(QUERY, k=5) == [] and archive.store.count() == 0


def test_removing_a_url_that_does_not_hold_the_text_only_relabels(archive: Archive) -> None:
    first, second = original(), cross_post()
    archive.ingest([first, second])
    assert archive.remove([second.id]) == 1
    [hit] = archive.search(QUERY, k=5)
    assert (hit.post_id, hit.urls) == (first.id, (first.url,))


def test_an_unchanged_group_costs_nothing_and_survives_a_reopen(
        tmp_path: Path, open_archive: OpenArchive, archive: Archive,
        counting: CountingEmbedder, sample_posts: list[Post]) -> None:
    posts = [*sample_posts, original(), cross_post(), retrailed(), quoting_post()]
    first = archive.ingest(posts)
    assert (first.added, first.grouped) == (len(sample_posts) + 2, 2)
    saved = json.loads((tmp_path / "data" / "groups" / INDEX_FILE).read_text())
    assert len(saved["groups"]) == len(sample_posts) + 2
    counting.reset()
    again = open_archive(tmp_path / "data", embedder_=counting)
    report = again.ingest(posts)
    assert (report.unchanged, report.added, report.grouped) == (len(posts), 0, 0)
    assert counting.calls == 0
    assert again.count_posts() == len(sample_posts) + 2


def test_the_group_index_is_rebuilt_from_chroma_when_its_file_is_lost(
        tmp_path: Path, open_archive: OpenArchive, archive: Archive) -> None:
    archive.ingest([original(), cross_post()])
    (tmp_path / "data" / "groups" / INDEX_FILE).unlink()
    again = open_archive(tmp_path / "data")
    assert again.ingest([original(), cross_post()]).unchanged == 2
    assert again.remove([original().id]) == 1
    [hit] = again.search(QUERY, k=5)
    assert hit.urls == (cross_post().url,)


def test_an_edited_copy_stays_grouped_and_an_edited_holder_is_reembedded(
        archive: Archive, counting: CountingEmbedder) -> None:
    first, second = original(), cross_post()
    archive.ingest([first, second])
    retitled = dataclasses.replace(second, title="RE: Meters for every tap", content_hash="")
    assert archive.ingest([retitled]).grouped == 1
    counting.reset()
    edited = dataclasses.replace(first, text=first.text.replace("forty thousand", "40,000"),
                                 content_hash="")
    report = archive.ingest([edited])
    assert report.updated == 1 and counting.calls > 0
    [hit] = archive.search(QUERY, k=5)
    assert hit.urls == (first.url, second.url)
    assert "40,000" in archive.post_text(first.id)


def test_posts_indexed_before_grouping_get_band_keys_and_group_with_a_new_copy(
        tmp_path: Path, open_archive: OpenArchive, archive: Archive,
        counting: CountingEmbedder) -> None:
    first = original()
    archive.ingest([first])
    # Make it look like an archive written before groups: no urls, members or band keys.
    chunks, vectors = archive.store.post_chunks(first.id)
    legacy = [{k: v for k, v in c.metadata.items() if k not in GROUP_FIELDS} for c in chunks]
    archive.store.delete_posts([first.id])
    archive.store.upsert([c.id for c in chunks], [c.text for c in chunks], vectors, legacy)
    archive.store.set_generation("written-by-an-older-version")
    counting.reset()
    again = open_archive(tmp_path / "data", embedder_=counting)
    report = again.ingest([first, cross_post()])
    assert (report.unchanged, report.grouped, report.added) == (1, 1, 0)
    assert counting.calls == 0
    [hit] = again.search(QUERY, k=5)
    assert hit.urls == (first.url, cross_post().url)
    head = again.store.heads()[0]
    assert head["dup_bands"] and json.loads(str(head["urls"])) == list(hit.urls)
