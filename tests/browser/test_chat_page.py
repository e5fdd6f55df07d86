"""The chat page in Debian's Chromium against a real uvicorn: ask, stream, cite, debate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Page, expect

from api.app import create_app
from knowledge.archive import Archive
from knowledge.post import Post
from tests.api.conftest import CITING_REPLY, FAKE_KEY, QUESTION
from tests.browser.conftest import (
    ADMIN_TOKEN,
    BLOG_HOST,
    Server,
    browser_settings,
)
from tests.fakes import OpenAIFake

ROOT = Path(__file__).resolve().parents[2]
REPLY = ".turn.assistant"
DONE = '.turn.assistant[data-state="done"]'
OPEN_SOURCE_POST = f"{BLOG_HOST}/2016/06/who-pays-for-the-plumbing.html"


def ask(page: Page, text: str) -> None:
    """Type a message and send it."""
    page.fill("#message", text)
    page.click("#send")


def open_page(page: Page, url: str) -> None:
    """Open the chat page and wait until persona and models are drawn."""
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def test_page_draws_persona_topics_and_models(server: Server, page: Page) -> None:
    response = page.goto(server.url + "/")
    assert response is not None and response.ok
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#avatar-name")).to_have_text("Ada Lindqvist")
    expect(page.locator("#avatar-bio")).not_to_be_empty()
    # Topics load on their own (the first request computes the topic map): wait for them.
    expect(page.locator(".chip").nth(2)).to_be_visible()
    assert page.locator(".chip").count() >= 3
    options = page.locator("#model option")
    assert options.count() == 1 and page.locator("#model").input_value() == "extractive"
    # Debate mode shows the side picker; ask mode hides it.
    expect(page.locator("#side-picker")).to_be_hidden()
    page.click("#mode-debate")
    expect(page.locator("#side-picker")).to_be_visible()
    page.click("#mode-ask")
    expect(page.locator("#side-picker")).to_be_hidden()
    assert page.errors == []  # type: ignore[attr-defined]


def test_topic_chip_asks_about_it(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    chip = page.locator(".chip").first
    label = chip.inner_text()
    chip.click()
    expect(page.locator(".turn.user").first).to_contain_text(label)
    page.wait_for_selector(DONE)


def test_ask_shows_citations_and_dated_links_to_the_posts(server: Server,
                                                              page: Page) -> None:
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    page.wait_for_selector(DONE)
    reply = page.locator(DONE).first
    expect(reply.locator(".reply-text")).not_to_be_empty()
    links = reply.locator("a.citation-link")
    assert links.count() >= 1
    first = links.first
    href = first.get_attribute("href") or ""
    assert href.startswith(BLOG_HOST + "/") and "#:~:text=" in href
    assert first.inner_text().strip()  # the post's title
    date = reply.locator(".citation-date").first
    assert (date.get_attribute("datetime") or "")[:2] in ("19", "20")
    assert date.inner_text().strip()
    # Sources open in a new tab, so the conversation stays (tests/browser/test_reader_page.py).
    assert first.get_attribute("target") == "_blank"


def test_conversation_is_sent_as_history(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    page.wait_for_selector(DONE)
    with page.expect_request(lambda r: r.url.endswith("/v1/chat")) as sent:
        ask(page, "And what about small companies?")
    body: dict[str, Any] = sent.value.post_data_json or {}
    assert [turn["role"] for turn in body["history"]] == ["user", "assistant"]
    assert body["history"][0]["content"] == QUESTION and body["stream"] is True
    page.wait_for_selector(f"{DONE} >> nth=1")


def test_debate_shows_a_stance_and_citations(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    page.click("#mode-debate")
    page.check("input[name='side'][value='against']")
    with page.expect_request(lambda r: r.url.endswith("/v1/debate")) as sent:
        ask(page, "Companies owe nothing to the open-source projects they use.")
    assert (sent.value.post_data_json or {})["side"] == "against"
    page.wait_for_selector(DONE)
    reply = page.locator(DONE).first
    # The motion and both sides, in words: "You: against ‘Companies owe…’ · Ada: for".
    expect(reply.locator(".stance")).to_contain_text("You: against \u2018Companies owe nothing")
    expect(reply.locator(".stance")).to_contain_text("Ada: ")
    assert reply.locator("a.citation-link").count() >= 1


def test_off_topic_question_shows_the_decline(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    ask(page, "best lasagna recipe with ricotta")
    page.wait_for_selector(DONE)
    expect(page.locator(f"{DONE} .declined-note")).to_be_visible()


def test_feedback_is_stored(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    page.wait_for_selector(DONE)
    page.locator(f"{DONE} .vote-down").click()
    expect(page.locator(f"{DONE} .feedback")).to_have_attribute("data-sent", "not-helpful")
    got = httpx.get(server.url + "/v1/feedback",
                    headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()["feedback"]
    mine = [f for f in got if f["question"] == QUESTION and f["helpful"] is False]
    assert mine and mine[0]["surface"] == "web" and mine[0]["model"] == "extractive"
    assert mine[0]["reply"] and mine[0]["citations"]


def test_an_http_error_is_shown(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    page.evaluate("""() => {
        const option = document.createElement('option');
        option.value = 'openai:gpt-9'; option.textContent = 'not allowed';
        const select = document.getElementById('model');
        select.appendChild(option); select.value = 'openai:gpt-9';
    }""")
    ask(page, QUESTION)
    page.wait_for_selector('.turn.assistant[data-state="error"]')
    expect(page.locator("#error")).to_contain_text("allowed: extractive")


def test_debate_this_post_link(server: Server, page: Page) -> None:
    open_page(page, server.url + "/?debate=" + quote(OPEN_SOURCE_POST, safe=""))
    expect(page.locator("#mode-debate")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#debate-banner")).to_be_visible()
    page.wait_for_selector(DONE)
    title = page.locator("#debate-banner .banner-title").inner_text()
    expect(page.locator(".turn.user").first).to_have_text(title)
    hrefs = [a.get_attribute("href") or ""
             for a in page.locator(f"{DONE} a.citation-link").all()]
    assert any(h.startswith(OPEN_SOURCE_POST) for h in hrefs)
    expect(page.locator(".invitation")).to_be_visible()
    # Opening a post takes no side for the reader: the reply states hers, not "You argue for".
    expect(page.locator(f"{DONE} .stance")).to_contain_text("You: no side yet")
    expect(page.locator(DONE)).not_to_contain_text("You argue")


def test_unknown_post_to_debate_is_reported(server: Server, page: Page) -> None:
    open_page(page, server.url + "/?debate=" + quote(BLOG_HOST + "/no/such/post.html"))
    expect(page.locator("#error")).to_contain_text("Could not open that post")


# -- streaming, with a slow OpenAI-compatible fake ------------------------------------------


@pytest.fixture
def slow_fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIFake]:
    """An OpenAI-compatible fake streaming its reply in 8 pieces, 0.25 s apart."""
    fake = OpenAIFake(CITING_REPLY, pieces=8, delay=0.25).start()
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url + "/v1")
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def fake_server(tmp_path: Path, archive: Archive, slow_fake: OpenAIFake) -> Iterator[Server]:
    """The page with the fake model as default, extractive as the other choice."""
    settings = browser_settings(tmp_path / "data", default_model="openai:fake-model",
                                models=["openai:fake-model", "extractive"])
    with Server(lambda port: create_app(settings, archive=archive)) as live:
        yield live


RECORD_GROWTH = """() => {
    window.__growth = [];
    const box = document.getElementById('conversation');
    new MutationObserver(() => {
        const turn = box.querySelector('.turn.assistant');
        if (!turn) return;
        const text = turn.querySelector('.reply-text').textContent;
        window.__growth.push([turn.dataset.state, text.length]);
    }).observe(box, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_reply_streams_in_token_by_token(fake_server: Server, page: Page) -> None:
    open_page(page, fake_server.url + "/")
    assert page.locator("#model").input_value() == "openai:fake-model"
    assert page.locator("#model option").count() == 2
    page.evaluate(RECORD_GROWTH)
    ask(page, QUESTION)
    page.wait_for_selector(DONE)
    growth: list[list[Any]] = page.evaluate("window.__growth")
    streaming = sorted({n for state, n in growth if state == "streaming" and n > 1})
    assert len(streaming) >= 3, growth  # the text grew several times before `done`
    final = page.locator(f"{DONE} .reply-text").inner_text()
    assert "normal cost of doing business [1]" in final
    assert page.locator(f"{DONE} a.citation-link").count() >= 1


# -- hostile post text ------------------------------------------------------------------------

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture
def hostile_server(tmp_path: Path, embedder: Any, sample_posts: list[Post]) -> Iterator[Server]:
    """The sample blog plus one post whose title and text carry markup."""
    archive = Archive.open(tmp_path / "archive", embedder=embedder)
    hostile = Post(
        id=f"{BLOG_HOST}/2020/01/xylophonic.html", url=f"{BLOG_HOST}/2020/01/xylophonic.html",
        title=f"Xylophonic thoughts {SCRIPT}{IMG}",
        text=(f"I believe Xylophonic music is underrated {IMG} and I say so often.\n\n"
              f"Xylophonic scales {SCRIPT} deserve a place in every school.\n\nRegards, Ada"),
        published=None, source="test")
    archive.ingest([*sample_posts, hostile])
    settings = browser_settings(tmp_path / "data")
    with Server(lambda port: create_app(settings, archive=archive)) as live:
        yield live


def test_markup_in_posts_is_shown_as_text(hostile_server: Server, page: Page) -> None:
    open_page(page, hostile_server.url + "/")
    ask(page, "What do you think about Xylophonic music?")
    page.wait_for_selector(DONE)
    reply = page.locator(DONE).first
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "<img" in reply.inner_text()
    assert reply.locator("img, script").count() == 0
    link = reply.locator("a.citation-link").first
    assert "<script>" in link.inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"


# -- the widget ------------------------------------------------------------------------------


class AuthorSite:
    """The author's own site: another origin on 127.0.0.1 whose page carries the one tag."""

    def __init__(self) -> None:
        self.widget_src = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = ("<!doctype html><title>Author site</title><h1>My blog</h1>"
                        f'<script src="{site.widget_src}" async></script>').encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def author_site() -> Iterator[AuthorSite]:
    site = AuthorSite()
    try:
        yield site
    finally:
        site.close()


def test_widget_opens_the_chat_for_an_allowed_origin(tmp_path: Path, archive: Archive,
                                                     author_site: AuthorSite,
                                                     page: Page) -> None:
    settings = browser_settings(tmp_path / "data", allowed_origins=[author_site.origin])
    with Server(lambda port: create_app(settings, archive=archive)) as live:
        author_site.widget_src = live.url + "/static/widget.js"
        page.goto(author_site.origin + "/post.html")
        page.click("#debate-avatar-button")
        frame = page.frame_locator("#debate-avatar-frame")
        expect(frame.locator("#avatar-name")).to_have_text("Ada Lindqvist")
        expect(frame.locator("body")).to_have_class("embed")
        frame.locator("#message").fill(QUESTION)
        frame.locator("#send").click()
        expect(frame.locator(DONE)).to_have_count(1)
        page.click("#debate-avatar-button")
        expect(page.locator("#debate-avatar-panel")).to_be_hidden()


def test_widget_is_refused_by_a_foreign_origin(server: Server, author_site: AuthorSite,
                                               page: Page) -> None:
    author_site.widget_src = server.url + "/static/widget.js"
    page.goto(author_site.origin + "/post.html")
    page.click("#debate-avatar-button")
    expect(page.locator("#debate-avatar-unavailable")).to_be_visible()
    # The widget asked first and built no frame; the page would refuse one anyway.
    assert page.locator("#debate-avatar-frame").count() == 0
    headers = page.request.get(server.url + "/?embed=1").headers
    assert headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert page.evaluate("typeof window.__pwned") == "undefined"
