"""Files and folders: .md, .html, .txt and XML, with clear failures for bad files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from knowledge.post import Post, ReadFailure, make_post_id
from knowledge.readers.files import read_path


def _by_title(posts: list[Post]) -> dict[str, Post]:
    return {p.title: p for p in posts}


def test_folder_reads_every_supported_file_and_skips_the_rest(fixtures: Path) -> None:
    result = read_path(fixtures / "folder")
    assert result.failures == []  # picture.png and hidden files are skipped silently
    assert sorted(p.title for p in result.posts) == [
        "Cities and Ambition",
        "How to Start a Blog",
        "Notes on Attention",
        "On Tariffs, Again",
        "The Hardware Renaissance",
    ]
    for post in result.posts:
        assert Path(post.source).is_absolute()
        assert "Hidden" not in post.title and "Secret" not in post.title


def test_text_file_with_byline_title_and_month_date(fixtures: Path) -> None:
    posts = _by_title(read_path(fixtures / "folder").posts)
    post = posts["How to Start a Blog"]
    assert post.published == date(2006, 5, 1)
    assert post.text == (
        "You need three things to create a successful blog: to start with good topics, "
        "to write every day, and to listen to your readers.\n\n"
        "Most people fail at the second. They start strong and fade.\n\n"
        "Regards, Alex Doe"
    )
    assert post.id == make_post_id(source="startup.txt", title="How to Start a Blog")
    assert post.source == str((fixtures / "folder/startup.txt").resolve())


def test_written_by_essay_layout(tmp_path: Path) -> None:
    essay = tmp_path / "start.txt"
    essay.write_text(
        "Written by Paul Graham\n\nHow to Start a Startup\n\nMarch 2005\n\n"
        "You need three things to create a successful startup.\n"
    )
    (post,) = read_path(essay).posts
    assert post.title == "How to Start a Startup"
    assert post.author == "Paul Graham"  # the byline names the author, not the title
    assert post.published == date(2005, 3, 1)
    assert post.text == "You need three things to create a successful startup."
    assert post.id == make_post_id(source="start.txt", title="How to Start a Startup")


def test_markdown_front_matter(fixtures: Path) -> None:
    post = _by_title(read_path(fixtures / "folder").posts)["On Tariffs, Again"]
    assert post.url == "https://reflections.example.com/2019/03/on-tariffs-again.html"
    assert post.id == post.url
    assert post.published == date(2019, 3, 20)
    assert post.tags == ("trade", "policy")
    assert post.author == "Alex Doe"  # the first of a list of authors
    # Markup gone, wrapped lines joined, the heading that repeats the title dropped.
    assert post.text == (
        "Tariffs are taxes paid by consumers at home, and no amount of rhetoric changes "
        "who pays.\n\n- They raise prices. - They invite retaliation.\n\nRegards, Alex Doe"
    )


def test_markdown_title_from_heading_and_id_from_relative_path(fixtures: Path) -> None:
    post = _by_title(read_path(fixtures / "folder").posts)["Notes on Attention"]
    assert post.published is None
    assert post.text == "Attention is the scarcest resource a reader has.\n\nSpend it carefully."
    assert post.id == make_post_id(source="notes/heading-title.md", title="Notes on Attention")


def test_html_files_title_and_dates(fixtures: Path) -> None:
    posts = _by_title(read_path(fixtures / "folder").posts)
    essay = posts["Cities and Ambition"]
    assert essay.published == date(2008, 5, 1)  # <meta name="date">
    assert essay.tags == ("cities", "ambition")
    assert essay.text.startswith("Great cities attract ambitious people.")
    assert "\n\nIn a hundred subtle ways" in essay.text
    hardware = posts["The Hardware Renaissance"]  # the <h1>, not "<h1> - Saved Essays"
    assert hardware.published == date(2019, 3, 14)  # from the date line …
    assert "March 14, 2019" not in hardware.text  # … which is not body text
    assert hardware.text.startswith("One advantage of Y Combinator")


def test_ids_are_stable_across_reads_and_machines(fixtures: Path, tmp_path: Path) -> None:
    copy = tmp_path / "somewhere" / "else"
    shutil.copytree(fixtures / "folder", copy)
    first = sorted((p.id, p.content_hash) for p in read_path(fixtures / "folder").posts)
    again = sorted((p.id, p.content_hash) for p in read_path(fixtures / "folder").posts)
    moved = sorted((p.id, p.content_hash) for p in read_path(copy).posts)
    assert first == again == moved


def test_bad_files_fail_clearly_and_good_ones_come_through(fixtures: Path) -> None:
    folder = fixtures / "bad"
    result = read_path(folder)
    posts = _by_title(result.posts)
    assert set(posts) == {"Still Fine", "Café Culture"}
    assert posts["Café Culture"].text == (
        "The café is where naïve ideas meet “serious” critics – and survive."
    )
    assert result.failures == [
        ReadFailure(str(folder / name), f"{folder}/{name} {reason}")
        for name, reason in (
            ("binary.txt", "looks binary, not text"),
            ("empty.txt", "is empty"),
            ("garbage.txt", "is not valid UTF-8 text"),
        )
    ]


def test_explicit_unsupported_or_binary_file_is_an_error(fixtures: Path) -> None:
    png = fixtures / "folder/picture.png"
    (failure,) = read_path(png).failures
    assert failure.error == (
        f"{png} is not a supported file type "
        "(use .atom, .htm, .html, .markdown, .md, .rss, .txt, .xml)"
    )
    (failure,) = read_path(fixtures / "bad/binary.txt").failures
    assert failure.error.endswith("binary.txt looks binary, not text")


def test_post_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    paragraph = "The same sentence again, to make a very long post. " * 20 + "\n\n"
    big.write_text("A Huge Post\n\n" + paragraph * (5 * 1024 * 1024 // len(paragraph)))
    result = read_path(big)
    assert result.posts == []
    assert result.failures == [
        ReadFailure(str(big.resolve()), '"A Huge Post" is 5.0 MB of text, over the 1 MB limit')
    ]
    assert len(read_path(big, max_text_bytes=6 * 1024 * 1024).posts) == 1


def test_xml_files_go_to_the_right_reader(fixtures: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures / "export/classic.xml", tmp_path / "export.xml")
    shutil.copy(fixtures / "feeds/rss.xml", tmp_path / "saved-feed.xml")
    (tmp_path / "other.xml").write_text("<catalog><book>Not a post</book></catalog>")
    (tmp_path / "sitemap.xml").write_bytes((fixtures / "sitemap/sitemap-posts.xml").read_bytes())
    result = read_path(tmp_path)
    assert sorted(p.title for p in result.posts) == [
        "Chips and Sovereignty",
        "Counting Every Vote",
        "On Remote Work",
        "Why Tariffs Are Taxes",
    ]
    assert sorted(f.error for f in result.failures) == [
        f"{tmp_path}/other.xml is not a feed, Blogger export or sitemap",
        f"{tmp_path}/sitemap.xml is a sitemap; reading its pages needs a fetcher",
    ]


def test_invalid_front_matter_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nBody.\n")
    (failure,) = read_path(bad).failures
    assert failure.error.startswith(f"{bad} has front matter that is not valid YAML")
