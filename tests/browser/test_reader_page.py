"""The readers' page as people use it: nothing hidden, kept and shared conversations, sources
in new tabs, [n] passages, dark mode, and the widget on another origin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from api.app import create_app
from knowledge.archive import Archive
from tests.api.conftest import QUESTION
from tests.browser.blog_site import serve_blog
from tests.browser.conftest import BLOG_HOST, Server, browser_settings
from tests.support.static_server import StaticServer

DONE = '.turn.assistant[data-state="done"]'
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def ask(page: Page, text: str, nth: int = 0) -> None:
    page.fill("#message", text)
    page.click("#send")
    page.wait_for_selector(f"{DONE} >> nth={nth}")


def assert_above_the_composer(page: Page, parts: tuple[str, ...], name: str) -> None:
    """The last reply's parts end above the sticky message box's top edge."""
    last = page.locator(DONE).last
    composer_top = page.locator("#ask-form").bounding_box()["y"]  # type: ignore[index]
    for part in parts:
        box = last.locator(part).bounding_box()
        assert box is not None, part
        assert box["y"] + box["height"] <= composer_top + 1, (name, part, box, composer_top)


@pytest.fixture
def blog() -> Iterator[StaticServer]:
    with StaticServer() as site:
        yield site


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_nothing_is_hidden_under_the_message_box_after_a_long_reply(
        server: Server, browser: Browser, name: str) -> None:
    width, height = VIEWPORTS[name]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=name == "phone", has_touch=name == "phone")
    try:
        page = context.new_page()
        open_page(page, server.url + "/")
        ask(page, QUESTION)
        ask(page, "And what should small companies pay for open-source software?", 1)
        assert_above_the_composer(page, (".feedback", ".citations"), name)
        # The follow-ups arrive a moment later, and are scrolled into view above it too.
        page.wait_for_selector(".turn.assistant >> nth=1 >> .follow-ups")
        page.wait_for_timeout(300)
        assert_above_the_composer(page, (".feedback", ".follow-ups"), name)
    finally:
        context.close()


def test_reload_and_back_keep_the_conversation(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    said = page.locator(f"{DONE} .reply-text").inner_text()
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator(".turn.user")).to_have_text([QUESTION])
    expect(page.locator(f"{DONE} .reply-text")).to_have_text(said, use_inner_text=True)
    page.goto(BLOG_HOST + "/elsewhere.html")
    page.go_back()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator(f"{DONE} .reply-text")).to_have_text(said, use_inner_text=True)
    # The kept conversation goes on: the next question carries it as history.
    with page.expect_request(lambda r: r.url.endswith("/v1/chat")) as sent:
        ask(page, "And small companies?", 1)
    assert [t["role"] for t in (sent.value.post_data_json or {})["history"]] == [
        "user", "assistant"]


def test_a_shared_link_opens_read_only_in_a_new_context(server: Server, page: Page,
                                                        browser: Browser) -> None:
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    said = page.locator(f"{DONE} .reply-text").inner_text()
    page.click("#share")
    link = page.locator("#share-link")
    expect(link).to_have_value(re.compile(r"\?c=[\w-]+$"))
    url = link.input_value()
    other: BrowserContext = browser.new_context()
    try:
        reader = other.new_page()
        open_page(reader, url)
        expect(reader.locator(f"{DONE} .reply-text")).to_have_text(said, use_inner_text=True)
        expect(reader.locator(".turn.user")).to_have_text([QUESTION])
        expect(reader.locator("#debate-banner")).to_contain_text("read-only")
        expect(reader.locator("#ask-form")).to_be_hidden()
        assert reader.locator(".feedback").count() == 0
        page.click("#share-remove")
        expect(page.locator("#share-expires")).to_contain_text("removed")
        open_page(reader, url)
        expect(reader.locator("#error")).to_contain_text("removed or has expired")
    finally:
        other.close()


def test_a_citation_opens_in_a_new_tab_and_a_marker_shows_its_passage(
        server: Server, page: Page, context: BrowserContext) -> None:
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    reply = page.locator(DONE).first
    marker = reply.locator(".reply-text a.cite-ref").first
    expect(marker).to_have_text("[1]")
    card = reply.locator(".reply-text .cite-card").first
    expect(card).to_be_hidden()
    marker.click()
    expect(card).to_be_visible()
    quote = reply.locator(".citation-quote").first.inner_text()
    expect(card).to_contain_text(quote[:40])
    post_link = card.locator("a.cite-card-link")
    assert (post_link.get_attribute("href") or "").startswith(BLOG_HOST + "/")
    assert post_link.get_attribute("target") == "_blank"
    source = reply.locator("a.citation-link").first
    assert source.get_attribute("target") == "_blank"
    with context.expect_page() as opened:
        source.click()
    opened.value.wait_for_load_state()
    assert opened.value.url.startswith(BLOG_HOST + "/")
    expect(page.locator(f"{DONE} .reply-text")).to_have_count(1)  # still here


@pytest.mark.parametrize(("scheme", "dark"), [("dark", True), ("light", False)])
def test_colours_follow_the_system_setting(server: Server, page: Page, scheme: str,
                                           dark: bool) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    open_page(page, server.url + "/")
    ask(page, QUESTION)
    lightness = page.evaluate("""() => {
        const rgb = getComputedStyle(document.documentElement).backgroundColor.match(/\\d+/g);
        const ink = getComputedStyle(document.querySelector('.reply-text')).color.match(/\\d+/g);
        return [rgb.slice(0, 3).reduce((a, b) => a + +b, 0) / 765,
                ink.slice(0, 3).reduce((a, b) => a + +b, 0) / 765];
    }""")
    background, text = lightness
    assert (background < 0.25 and text > 0.7) if dark else (background > 0.8 and text < 0.3)


def test_the_model_picker_and_jargon_stay_out_of_the_way(server: Server, page: Page) -> None:
    open_page(page, server.url + "/")
    expect(page.locator("#model-picker")).to_be_hidden()  # one model: nothing to choose
    ask(page, QUESTION)
    expect(page.locator(f"{DONE} .reply-meta")).not_to_contain_text("extractive")
    expect(page.locator("link[rel='icon']")).to_have_count(1)


def test_the_widget_works_on_an_allowed_origin_and_debates_the_post_it_sits_on(
        tmp_path: Path, archive: Archive, blog: StaticServer, page: Page) -> None:
    settings = browser_settings(tmp_path / "data", allowed_origins=[blog.base_url])
    with Server(lambda port: create_app(settings, archive=archive)) as live:
        url = serve_blog(blog, live.url + "/static/widget.js", on_post=True)
        page.goto(url)
        page.click("#debate-avatar-button")
        frame = page.frame_locator("#debate-avatar-frame")
        expect(frame.locator("#debate-banner")).to_contain_text("Who Pays for the Plumbing?")
        expect(frame.locator(DONE)).to_have_count(1)
        expect(frame.locator(f"{DONE} .stance")).to_contain_text("Ada: ")
        # The motion is the post's thesis (her own position sentence), not its title.
        expect(frame.locator("#side-motion")).to_contain_text(
            "Companies that depend on open-source software")
        # The close button has its own bar: it covers none of the chat.
        close = page.locator("#debate-avatar-close").bounding_box()
        inner = page.locator("#debate-avatar-frame").bounding_box()
        assert close and inner and close["y"] + close["height"] <= inner["y"] + 1
        page.click("#debate-avatar-close")
        expect(page.locator("#debate-avatar-panel")).to_be_hidden()


def test_the_widget_on_an_origin_not_allowed_says_so_politely(
        server: Server, blog: StaticServer, page: Page) -> None:
    url = serve_blog(blog, server.url + "/static/widget.js")
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.goto(url)
    page.click("#debate-avatar-button")
    note = page.locator("#debate-avatar-unavailable")
    expect(note).to_contain_text("can't open on this page just yet")
    expect(note.locator("a")).to_have_attribute("href", server.url + "/")
    assert page.locator("#debate-avatar-frame").count() == 0
    assert any("AVATAR_ALLOWED_ORIGINS" in line and blog.base_url in line for line in console)
