"""Fixtures for the Slack tests: the mock Web API, the real app with Slack on, signed posts.

Requests are signed with the signing secret and sent to the real app's /slack/events
(TestClient keeps the app's event loop running, so bolt's background listeners finish);
the bot's Web API calls go to `SlackAPIFake` on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette import testclient

from tests.api.conftest import (  # noqa: F401  (fixtures shared with the API suite)
    MakeClient,
    MakeSettings,
    clean_environment,
    fake,
    fresh_archive,
    make_client,
    make_settings,
)
from tests.fakes.slack_api import SlackAPIFake
from tests.support.slack_requests import SIGNING_SECRET, signed_headers

# The response type of the test client: httpx2's since Starlette 1.x, httpx's before.
TestResponse = testclient.httpx.Response

EDITOR = "U0EDITOR"
# Every Web API method the bot may call, and the bot scope Slack requires for it (None: the
# method needs no scope, or a token of its own). The manifest test checks the scopes are asked
# for; the `slack` fixture checks no test saw the bot call anything else.
METHOD_SCOPES = {
    "auth.test": None, "apps.connections.open": None, "views.open": None,
    "chat.postMessage": "chat:write", "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write", "conversations.replies": "channels:history",
}


@pytest.fixture
def slack() -> Iterator[SlackAPIFake]:
    """The mock Slack Web API; afterwards, every method the bot called must be known."""
    with SlackAPIFake() as server:
        yield server
    unknown = {call.method for call in server.calls} - set(METHOD_SCOPES)
    assert not unknown, f"the bot called Web API methods the manifest was not checked for: " \
                        f"{unknown}"


def slack_overrides(slack: SlackAPIFake) -> dict[str, Any]:
    """Settings with Slack on, pointed at the mock; the extractive model by default."""
    return {"default_model": "extractive", "models": ["extractive"],
            "slack_bot_token": slack.token, "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.api_url, "slack_editors": [EDITOR]}


@pytest.fixture
def slack_settings(make_settings: MakeSettings,  # noqa: F811  (the imported fixture)
                   slack: SlackAPIFake) -> MakeSettings:
    """Settings for one test with Slack on (overrides on top)."""
    return lambda **overrides: make_settings(**{**slack_overrides(slack), **overrides})


MakeBot = Callable[..., TestClient]


@pytest.fixture
def make_bot(make_client: MakeClient,  # noqa: F811  (the imported fixture)
             slack: SlackAPIFake) -> MakeBot:
    """The real app (lifespan running) with Slack on; `archive_=` for a writable archive."""
    return lambda **overrides: make_client(**{**slack_overrides(slack), **overrides})


def post_signed(client: TestClient, body: bytes, *, content_type: str = "application/json",
                headers: dict[str, str] | None = None, **signing: Any) -> TestResponse:
    """POST a body to /slack/events signed as Slack signs it."""
    sent = {**signed_headers(body, content_type=content_type, **signing), **(headers or {})}
    return client.post("/slack/events", content=body, headers=sent)


FORM = "application/x-www-form-urlencoded"
