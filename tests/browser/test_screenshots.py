"""The page's screenshots in docs/: `make screenshots` (SCREENSHOTS=1) writes them there;
otherwise they go to a temporary folder, so the suite checks they can still be made."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from api.app import create_app
from knowledge.archive import Archive
from tests.api.conftest import QUESTION
from tests.browser.blog_site import POST_URL, serve_blog
from tests.browser.conftest import Server, browser_settings
from tests.support.static_server import StaticServer

ROOT = Path(__file__).resolve().parents[2]
DONE = '.turn.assistant[data-state="done"]'
DEVICES = {"desktop": (1280, 860), "phone": (390, 844)}
# Full-page images: the message box stops floating so the whole conversation shows.
STATIC_COMPOSER = ".composer { position: static; }"


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return ROOT / "docs" if os.environ.get("SCREENSHOTS") == "1" else tmp_path


@pytest.fixture
def shot_context(browser: Browser, device: str) -> Iterator[BrowserContext]:
    width, height = DEVICES[device]
    phone = device == "phone"
    made = browser.new_context(viewport={"width": width, "height": height},
                               device_scale_factor=1, is_mobile=phone, has_touch=phone,
                               bypass_csp=True)
    made.route("**/*", lambda r: r.fallback() if r.request.url.startswith("http://127.0.0.1")
               else r.abort())
    try:
        yield made
    finally:
        made.close()


def opened(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return page


def answered(page: Page, text: str = QUESTION) -> None:
    page.fill("#message", text)
    page.click("#send")
    page.wait_for_selector(f"{DONE} .follow-ups")
    page.locator(f"{DONE} .reply-text a.cite-ref").first.click()


def full_page(page: Page, path: Path) -> None:
    page.add_style_tag(content=STATIC_COMPOSER)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)


def test_answer_and_dark_mode(server: Server, shot_context: BrowserContext, device: str,
                              folder: Path) -> None:
    page = opened(shot_context, server.url + "/")
    answered(page)
    full_page(page, folder / f"screenshot-answer-{device}.png")
    page.emulate_media(color_scheme="dark")
    full_page(page, folder / f"screenshot-dark-{device}.png")


def test_debate(server: Server, shot_context: BrowserContext, device: str,
                folder: Path) -> None:
    page = opened(shot_context, f"{server.url}/?debate={POST_URL}")
    page.wait_for_selector(f"{DONE} .follow-ups")
    page.check("input[name='side'][value='against']")
    full_page(page, folder / f"screenshot-debate-{device}.png")


def test_shared_conversation(server: Server, shot_context: BrowserContext, browser: Browser,
                             device: str, folder: Path) -> None:
    page = opened(shot_context, server.url + "/")
    answered(page)
    page.click("#share")
    expect(page.locator("#share-link")).not_to_have_value("")
    link = page.locator("#share-link").input_value()
    reader = opened(shot_context, link)
    reader.wait_for_selector(DONE)
    full_page(reader, folder / f"screenshot-shared-{device}.png")


def test_widget_on_a_blog_page(tmp_path: Path, archive: Archive,
                               shot_context: BrowserContext, device: str,
                               folder: Path) -> None:
    with StaticServer() as blog:
        settings = browser_settings(tmp_path / "data", allowed_origins=[blog.base_url])
        with Server(lambda port: create_app(settings, archive=archive)) as live:
            url = serve_blog(blog, live.url + "/static/widget.js", on_post=True)
            page = shot_context.new_page()
            page.goto(url)
            page.click("#debate-avatar-button")
            frame = page.frame_locator("#debate-avatar-frame")
            expect(frame.locator(f"{DONE} .follow-ups")).to_be_visible(timeout=60_000)
            page.screenshot(path=str(folder / f"screenshot-widget-{device}.png"))
