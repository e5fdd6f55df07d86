"""Blogger backup exports: classic Atom export and Takeout's feed.atom. Posts only."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from knowledge.post import ReadFailure, make_post_id
from knowledge.readers.blogger_export import read_blogger_export
from knowledge.readers.sources import read_source
from knowledge.readers.xml_doc import sniff_xml_kind


def test_classic_export_keeps_published_posts_only(fixtures: Path) -> None:
    source = str(fixtures / "export/classic.xml")
    result = read_blogger_export((fixtures / "export/classic.xml").read_bytes(), source=source)
    assert result.failures == []
    assert [p.title for p in result.posts] == ["Counting Every Vote", "Chips and Sovereignty"]
    every_text = " ".join(p.text for p in result.posts)
    skipped = ("draft must never", "Comments are not", "Another comment", "b:skin", "Blog name")
    for text in skipped:
        assert text not in every_text
    vote = result.posts[0]
    assert vote.url == "https://alexdoe.blogspot.com/2020/11/counting-every-vote.html"
    assert vote.id == vote.url
    assert vote.published == date(2020, 11, 3)  # 21:15 at -08:00, the 4th in UTC
    assert vote.updated == date(2020, 11, 4)
    assert vote.tags == ("Elections", "Policy")  # the kind category is not a tag
    assert vote.source == source
    assert vote.author == "Alex Doe"
    assert vote.text == (
        "Counting takes time because democracy is careful.\n\n"
        "Patience is a civic virtue.\n\nRegards, Alex Doe"
    )


def test_takeout_export_keeps_live_posts_only(fixtures: Path) -> None:
    data = (fixtures / "export/feed.atom").read_bytes()
    result = read_blogger_export(data, source="feed.atom")
    assert result.failures == []
    assert [p.title for p in result.posts] == [
        "Energy 'Independence' Is a Myth",  # Takeout double-escapes entities in titles
        "Why I Still Write Daily",
    ]
    energy, daily = result.posts
    assert energy.published == date(2022, 4, 2)
    assert energy.updated == date(2022, 4, 3)
    assert energy.tags == ("Energy", "Trade")
    assert energy.text == (
        "No country is an island in energy.\n\nTrade is resilience.\n\nRegards, Alex Doe"
    )
    # Content without type='html' is still Blogger HTML.
    assert daily.text == "Writing every day keeps thinking honest.\n\nRegards, Alex Doe"
    assert daily.tags == ()
    # Takeout carries no blog address: no URL, and an id from the entry's own Blogger id.
    assert energy.url == ""
    assert energy.id == make_post_id(
        source="tag:blogger.com,1999:blog-888.post-101", title=energy.title
    )


def test_takeout_file_names_become_urls_with_the_blog_address(fixtures: Path) -> None:
    data = (fixtures / "export/feed.atom").read_bytes()
    result = read_blogger_export(data, source="x", blog_url="https://alexdoe.blogspot.com")
    assert [p.url for p in result.posts] == [
        "https://alexdoe.blogspot.com/2022/04/energy-independence-is-myth.html",
        "https://alexdoe.blogspot.com/2022/05/why-i-still-write-daily.html",
    ]
    assert result.posts[0].id == result.posts[0].url


def test_export_ids_do_not_depend_on_where_the_file_lives(fixtures: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "feed.atom"
    copy.parent.mkdir()
    shutil.copy(fixtures / "export/feed.atom", copy)
    here = read_source(str(fixtures / "export/feed.atom"))
    there = read_source(str(copy))
    assert [p.id for p in here.posts] == [p.id for p in there.posts]
    assert here.posts[0].source != there.posts[0].source


def test_export_files_are_told_apart_from_public_feeds(fixtures: Path) -> None:
    assert sniff_xml_kind((fixtures / "export/classic.xml").read_bytes()) == "blogger-export"
    assert sniff_xml_kind((fixtures / "export/feed.atom").read_bytes()) == "blogger-export"
    assert sniff_xml_kind((fixtures / "blogger/page1.xml").read_bytes()) == "feed"
    assert sniff_xml_kind((fixtures / "feeds/rss.xml").read_bytes()) == "feed"
    assert sniff_xml_kind((fixtures / "sitemap/sitemap-posts.xml").read_bytes()) == "sitemap"


def test_a_bad_export_entry_is_reported_and_the_rest_ingest() -> None:
    data = b"""<?xml version='1.0'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <entry><id>tag:blogger.com,1999:blog-1.post-1</id><blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status><title></title><content></content></entry>
  <entry><id>tag:blogger.com,1999:blog-1.post-2</id><blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status><title>Kept</title><content>Body.</content>
    <published>2020-01-01T00:00:00Z</published></entry>
</feed>"""
    result = read_blogger_export(data, source="export.xml")
    assert [p.title for p in result.posts] == ["Kept"]
    assert result.failures == [
        ReadFailure(
            source="export.xml (tag:blogger.com,1999:blog-1.post-1)",
            error="entry has no title and no content",
        )
    ]


def test_external_entities_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = f"""<?xml version='1.0'?>
<!DOCTYPE feed [<!ENTITY leak SYSTEM "file://{secret}">]>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <entry><id>e1</id><blogger:type>POST</blogger:type><title>Leak &leak;</title>
    <content>Text &leak; here.</content></entry>
</feed>""".encode()
    result = read_blogger_export(data, source="evil.xml")
    assert "TOP SECRET" not in " ".join(p.title + p.text for p in result.posts)
