"""Single web pages: main text without boilerplate, with metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.readers.webpage import read_webpage


def test_article_page_main_text_and_metadata(fixtures: Path) -> None:
    html = (fixtures / "pages/article.html").read_bytes()
    result = read_webpage(html, url="http://127.0.0.1:9/pages/article.html")
    assert result.failures == []
    (post,) = result.posts
    assert post.title == "The Case for Carbon Dividends"
    assert post.url == "https://reflections.example.com/2021/05/carbon-dividends.html"
    assert post.id == post.url
    assert post.published == date(2021, 5, 18)
    assert post.tags == ("climate", "taxes")
    paragraphs = post.text.split("\n\n")
    assert paragraphs[0].startswith("A carbon tax that returns every cent to citizens")
    assert paragraphs[0].endswith("without growing the state.")
    assert paragraphs[1].startswith("Families who pollute less than average")
    assert paragraphs[2].startswith("Critics say the price will be too low")
    assert paragraphs[-1] == "Regards, Alex Doe"
    for boilerplate in ("Home", "Archive", "Subscribe", "Popular posts", "Sidebar link",
                        "Copyright", "Powered by", "analytics", "font-family"):
        assert boilerplate not in post.text


def test_thin_page_falls_back_to_body_without_navigation(fixtures: Path) -> None:
    html = (fixtures / "pages/plain.html").read_text()
    (post,) = read_webpage(html, url="https://notes.example.com/short").posts
    assert post.title == "Short Note"
    assert post.text == "Brief."
    assert post.url == "https://notes.example.com/short"


def test_page_without_text_is_a_failure() -> None:
    html = "<html><head><title>Nothing Here</title></head><body><nav>Home</nav></body></html>"
    result = read_webpage(html, url="https://empty.example.com/")
    assert result.posts == []
    assert [f.error for f in result.failures] == ['"Nothing Here" has no text']
    assert result.failures[0].source == "https://empty.example.com/"


ARCHIVE_URL = "https://tferreira-harbour.blogspot.com/2016/03/"


@pytest.mark.parametrize("short", [False, True], ids=["extracted", "thin-page-fallback"])
def test_archive_page_drops_the_repeated_header_greeting(fixtures: Path, short: bool) -> None:
    html = (fixtures / "mixed" / "archive-2016-03.html").read_text()
    if short:  # too thin for trafilatura: the article/body fallback must drop it as well
        start = html.index("<p>My take :</p>")
        html = html[:start] + html[html.index("<p>With regards,<br>Tomas"):]
    (post,) = read_webpage(html, url=ARCHIVE_URL).posts
    for chrome in ("Hi Friends", "60th birthday", "12 May 2009", "talk to my Virtual Avatar",
                   "Posted by", "No comments", "Older Posts", "Powered by Blogger"):
        assert chrome not in post.text, chrome
    assert "Following news report appeared in today's Harbour Gazette :" in post.text
    # The sign-off stays in the text, labelled as such; the quoted report is the paper's.
    assert post.text.endswith("With regards, Tomas Ferreira")
    assert post.spans[-1].speaker == "signoff"
    news = [s for s in post.spans if s.speaker == "news"]
    assert [post.text[s.start : s.end].strip() for s in news] == [
        "The Port Authority announced on Monday that fares on the inner-harbour ferry routes "
        "will rise by 18 per cent from April."]


def test_a_posts_own_markup_named_like_chrome_is_kept() -> None:
    html = ("<html><body><article><h1>Words</h1><div class='Text'>A class named Text is "
            "not a widget.</div><p>" + "Plain words about harbours and ferries. " * 10
            + "</p></article></body></html>")
    (post,) = read_webpage(html, url="https://example.org/words").posts
    assert "A class named Text is not a widget." in post.text
