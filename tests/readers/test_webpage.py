"""Single web pages: main text without boilerplate, with metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
