"""Speakers survive indexing: ingest -> Chroma metadata -> search passages, old indexes too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import knowledge.archive as archive_module
from knowledge.archive import Archive
from knowledge.metadata import chunk_metadata
from knowledge.post import Post
from knowledge.readers.feeds import read_feed
from knowledge.search import Passage
from knowledge.speakers import LABEL_RULES, Span, decode_spans, encode_spans, speaker_at
from tests.knowledge.conftest import OpenArchive
from tests.support.embedders import CountingEmbedder, MemoEmbedder
from tests.support.sample import ROOT

MIXED_FEED = ROOT / "tests" / "fixtures" / "readers" / "mixed" / "feed.xml"
NEWS = "a news report in Harbour Gazette"


@pytest.fixture(scope="module")
def mixed_posts() -> list[Post]:
    """The fictional author's mixed-shape posts, plus a long one that needs several chunks."""
    posts = read_feed(MIXED_FEED.read_bytes(), url=str(MIXED_FEED)).posts
    assert len(posts) == 4
    filler = " ".join(["I cycled to the ferry again and counted the empty seats on deck."] * 12)
    long_text = "\n\n".join([
        filler,
        "Following news report appeared in The Harbour Gazette :",
        "“ The ferry company reported a loss for the fourth year running. "
        + "Its chairman said fares alone could not close the gap. " * 8 + "“",
        "My take :",
        filler,
    ])
    posts.append(Post(id="long-ferry", title="Ferry Losses", text=long_text,
                      author="Tomas Ferreira"))
    return posts


def passage_of(archive: Archive, query: str, phrase: str) -> Passage:
    """The retrieved passage holding a phrase."""
    for hit in archive.search(query, k=5, floor=False):
        for passage in hit.passages:
            if phrase in passage.text:
                return passage
    raise AssertionError(f"no passage holds {phrase!r}")


def speaker(passage: Passage, phrase: str) -> tuple[str, str]:
    span = passage.speaker_at(passage.text.index(phrase))
    assert span is not None
    return span.speaker, span.label


def test_chunk_spans_are_the_posts_spans_cut_to_each_chunk(
        tmp_path: Path, open_archive: OpenArchive, mixed_posts: list[Post]) -> None:
    archive = open_archive(tmp_path / "data")
    archive.ingest(mixed_posts)
    long_post = mixed_posts[-1]
    chunks = sorted(archive.store.chunks(where={"post_id": long_post.id}),
                    key=lambda c: int(c.metadata["chunk_index"]))
    assert len(chunks) >= 3 and any(int(c.metadata["overlap"]) for c in chunks)
    seen = set()
    for chunk in chunks:
        spans = decode_spans(chunk.metadata["speakers"], len(chunk.text))
        assert spans is not None, chunk.metadata["speakers"]
        start = long_post.text.index(chunk.text)
        for span in spans:
            whole = speaker_at(long_post.spans, start + span.start)
            assert whole is not None and (whole.speaker, whole.label) == (span.speaker, span.label)
            seen.add(span.speaker)
    assert {"author", "news"} <= seen


def test_search_passages_carry_speakers_from_metadata(
        tmp_path: Path, open_archive: OpenArchive, mixed_posts: list[Post],
        monkeypatch: pytest.MonkeyPatch) -> None:
    archive = open_archive(tmp_path / "data")
    archive.ingest(mixed_posts)
    # Labelling a passage afresh would also find these: prove the stored spans are used.
    monkeypatch.setattr("knowledge.metadata.speaker_spans", _must_not_label)
    monkeypatch.setattr("knowledge.search.speaker_spans", _must_not_label)
    news = passage_of(archive, "ferry fares Port Authority Harbour Gazette", "Port Authority")
    assert speaker(news, "The Port Authority announced") == ("news", NEWS)
    assert speaker(news, "Report adds") == ("news", NEWS)
    assert speaker(news, "My take") == ("author", "")
    mail = passage_of(archive, "water meter housing society Priya", "Priya")
    assert speaker(mail, "I am not convinced") == ("email", "an e-mail from Priya Raman")
    assert speaker(mail, "I believe a meter is the fairest way") == ("author", "")
    bot = passage_of(archive, "ChatGPT bus lane", "ChatGPT replied")
    pieces = {text: span.speaker for text, span in bot.pieces()}
    assert pieces["I disagree with the last point."] == "author"
    assert any(s == "chatbot" and "careful study" in t for t, s in pieces.items())


def _must_not_label(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("spans were recomputed instead of read from the metadata")


def test_chunks_indexed_before_speakers_existed_are_labelled_when_read(
        tmp_path: Path, open_archive: OpenArchive, mixed_posts: list[Post],
        monkeypatch: pytest.MonkeyPatch, embedder: MemoEmbedder) -> None:
    def old_metadata(post: Post, index: int, count: int, overlap: int = 0,
                     joiner: str = "", chunk: object = None) -> dict[str, Any]:
        return chunk_metadata(post, index, count, overlap, joiner)  # no 'speakers' key

    monkeypatch.setattr(archive_module, "chunk_metadata", old_metadata)
    counting = CountingEmbedder(embedder)
    archive = open_archive(tmp_path / "data", embedder_=counting)
    archive.ingest(mixed_posts)
    assert all("speakers" not in c.metadata for c in archive.store.chunks())
    monkeypatch.undo()

    reopened = open_archive(tmp_path / "data", embedder_=counting)
    counting.reset()
    report = reopened.ingest(mixed_posts)  # the new code meets the old index
    assert report.unchanged == len(mixed_posts) and counting.texts == []
    news = passage_of(reopened, "ferry fares Port Authority Harbour Gazette", "Port Authority")
    assert speaker(news, "The Port Authority announced") == ("news", NEWS)
    parking = passage_of(reopened, "parking fees kerb Mayor", "Price the Kerb")
    # The author's name kept in the old metadata still helps find his sign-off.
    assert speaker(parking, "tomas ferreira ( 02 Aug 2016 )") == ("signoff", "")
    assert speaker(parking, "I propose that the fee") == (
        "author", "an earlier post (21 June 2010)")


def test_speakers_labelled_by_older_rules_are_relabelled_at_the_next_ingest(
        tmp_path: Path, open_archive: OpenArchive, mixed_posts: list[Post],
        embedder: MemoEmbedder) -> None:
    counting = CountingEmbedder(embedder)
    archive = open_archive(tmp_path / "data", embedder_=counting)
    archive.ingest(mixed_posts)
    # An index labelled by an older labeller: every sentence the author's, stamped as such.
    stale = [c for c in archive.store.chunks()]
    archive.store.update_metadatas(
        [c.id for c in stale],
        [{**c.metadata, "speakers": encode_spans((Span(0, len(c.text), "author"),)),
          "speaker_rules": "older-rules"} for c in stale])
    (tmp_path / "data" / "groups" / "groups.json").unlink()  # rebuilt from those heads

    reopened = open_archive(tmp_path / "data", embedder_=counting)
    news = passage_of(reopened, "ferry fares Port Authority Harbour Gazette", "Port Authority")
    assert speaker(news, "The Port Authority announced") == ("author", "")  # as stored
    counting.reset()
    report = reopened.ingest(mixed_posts)  # the same posts, read again by the new code
    assert report.unchanged == len(mixed_posts) and counting.texts == []  # nothing embedded
    assert {c.metadata["speaker_rules"] for c in reopened.store.chunks()} == {LABEL_RULES}
    news = passage_of(reopened, "ferry fares Port Authority Harbour Gazette", "Port Authority")
    assert speaker(news, "The Port Authority announced") == ("news", NEWS)
    long_news = passage_of(reopened, "ferry company loss fourth year chairman fares", "chairman")
    assert speaker(long_news, "Its chairman said")[0] == "news"  # a later chunk of a long post

    generation = reopened.store.generation()
    again = open_archive(tmp_path / "data", embedder_=counting).ingest(mixed_posts)
    assert again.unchanged == len(mixed_posts)
    assert reopened.store.generation() == generation  # labelled once: nothing written now
