"""Fixtures for the browser tests: a real uvicorn on 127.0.0.1 and Debian's Chromium.

Playwright drives `/usr/bin/chromium` (never a downloaded browser). The sample blog is
ingested once with the session's real embedder (tests/conftest.py);
servers run the app built by `create_app(settings, archive=...)` in a background thread.
The sample posts live on https://ada-lindqvist.example/, which is never fetched: every
request that is not for the local server is answered by a stub or refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.settings import Settings
from knowledge.archive import Archive
from tests.api.live import LiveServer
from tests.support.sample import HOSTILE_ENV, SILENT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking",
                 "--disable-component-update", "--disable-gpu"]
ADMIN_TOKEN = "browser-admin-token"
BLOG_HOST = "https://ada-lindqvist.example"
STUB_PAGE = "<!doctype html><title>post page</title><p>post page</p>"

try:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pytest.skip("playwright is not installed", allow_module_level=True)

if not CHROMIUM.exists():  # pragma: no cover - CI installs Debian's chromium
    # CI sets AVATAR_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
    if os.environ.get("AVATAR_REQUIRE_BROWSER") == "1":
        raise RuntimeError("Debian's chromium is required (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)


# The browser's server is the API suite's live server: pages need to know their own port.
Server = LiveServer


def browser_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a browser-test server: extractive by default, generous limits."""
    values: dict[str, Any] = {
        "data_dir": data_dir, "default_model": "extractive", "models": ["extractive"],
        "fallback_models": [], "admin_token": ADMIN_TOKEN, "rate_limit_per_minute": 1000,
        "first_token_timeout": 15.0, "total_timeout": 60.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="package", autouse=True)
def clean_environment() -> Iterator[None]:
    """No AVATAR_* settings from the shell, dead provider endpoints, no tracing."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [k for k in os.environ if k.startswith("AVATAR_")]:
            patch.delenv(name)
        for name, value in HOSTILE_ENV.items():
            patch.setenv(name, value)
        for name in SILENT:
            patch.delenv(name, raising=False)
        patch.setenv("HF_HUB_OFFLINE", "1")
        yield


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory, archive: Archive) -> Iterator[Server]:
    """The chat page and API over the sample blog, the extractive model only."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    with Server(lambda port: create_app(browser_settings(data_dir), archive=archive)) as live:
        yield live


@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's sync API for this package only: it runs an event loop in the main thread,
    which must be gone before any other suite's asyncio tests start."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    try:
        yield launched
    finally:
        launched.close()


def _local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "http://localhost:", "data:", "about:"))


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context: the blog's host answered by a stub, all else non-local refused."""
    made = browser.new_context(viewport={"width": 1280, "height": 800})
    made.set_default_timeout(30_000)

    def gate(route: Any) -> None:
        url = route.request.url
        if url.startswith(BLOG_HOST + "/"):
            route.fulfill(status=200, content_type="text/html", body=STUB_PAGE)
        elif _local(url):
            route.fallback()
        else:
            route.abort()

    made.route("**/*", gate)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in the fresh context, recording script errors (CSP violations included)."""
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    opened.errors = errors  # type: ignore[attr-defined]
    return opened
