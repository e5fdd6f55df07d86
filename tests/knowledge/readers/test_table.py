"""The one reader table: a new format is one row; every row hands speaker hints on."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.post import ReadResult
from knowledge.readers import read_source
from knowledge.readers.fetch import Fetcher
from knowledge.readers.files import read_path
from knowledge.readers.post_fields import PostFields
from knowledge.readers.table import PARSERS, READERS, Source, supported_suffixes
from knowledge.speakers import Hint
from tests.support.static_server import StaticServer


def parse_note(text: str, *, name: str) -> PostFields:
    """A made-up format: 'TITLE: …' on the first line, '| ' lines quoted."""
    head, _, body = text.partition("\n")
    quoted = [line[2:] for line in body.splitlines() if line.startswith("| ")]
    plain = "\n".join(line[2:] if line.startswith("| ") else line for line in body.splitlines())
    return PostFields(title=head.removeprefix("TITLE:").strip(), text=plain,
                      hints=tuple(Hint(q) for q in quoted))


def test_a_new_file_format_is_one_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.note").write_text(
        "TITLE: Tides\n\nThe harbour floods twice a year.\n\n| Nothing can be done.\n\nI disagree.")
    (tmp_path / "b.md").write_text("# Boats\n\nSmall boats are fine.\n")
    assert [p.title for p in read_path(tmp_path).posts] == ["Boats"]  # not a format yet
    assert ".note" not in supported_suffixes()

    monkeypatch.setitem(PARSERS, ".note", parse_note)
    posts = {p.title: p for p in read_path(tmp_path).posts}
    assert set(posts) == {"Boats", "Tides"}
    tides = posts["Tides"]
    assert tides.source == str((tmp_path / "a.note").resolve())
    assert [s.speaker for s in tides.spans] == ["author", "quote", "author"]
    assert (read_path(tmp_path / "a.note").posts[0].title) == "Tides"


def test_urls_and_files_read_through_the_kind_rows(
        server: StaticServer, fetcher: Fetcher, fixtures: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Source] = []
    real = READERS["feed"]

    def recording(content: bytes, source: Source) -> ReadResult:
        seen.append(source)
        return real(content, source)

    monkeypatch.setitem(READERS, "feed", recording)
    from_url = read_source(server.url("feeds/rss.xml"), fetcher=fetcher)
    from_file = read_path(fixtures / "feeds" / "rss.xml")
    assert [p.title for p in from_url.posts] == [p.title for p in from_file.posts] == [
        "Why Tariffs Are Taxes", "On Remote Work"]
    assert [(s.remote, s.name.endswith("rss.xml")) for s in seen] == [(True, True), (False, True)]


def test_markdown_block_quotes_are_speaker_hints(tmp_path: Path) -> None:
    post_file = tmp_path / "quote.md"
    post_file.write_text(
        "# Trams\n\nThe council wrote back:\n\n> We have no budget\n> for trams this year.\n\n"
        "I think they do.\n")
    (post,) = read_path(post_file).posts
    assert post.structural == (Hint("We have no budget for trams this year."),)
    assert [(s.speaker, post.text[s.start : s.end].strip()) for s in post.spans] == [
        ("author", "The council wrote back:"),
        ("quote", "We have no budget for trams this year."),
        ("author", "I think they do."),
    ]


def test_html_block_quotes_are_speaker_hints(tmp_path: Path) -> None:
    page = tmp_path / "quote.html"
    page.write_text(
        "<html><head><title>Trams</title></head><body><article><h1>Trams</h1>"
        "<p>The council wrote back.</p><blockquote><p>We have no budget for trams.</p>"
        "</blockquote><p>I think they do, and the numbers in their own report show it. "
        "A tram line costs less than the road widening they approved last spring.</p>"
        "</article></body></html>")
    (post,) = read_path(page).posts
    quoted = [post.text[s.start : s.end].strip() for s in post.spans if s.speaker == "quote"]
    assert quoted == ["We have no budget for trams."]
