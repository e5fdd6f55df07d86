"""The Slack connections the project builds itself: the Web API client and Socket Mode."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

SLACK_API_URL = "https://slack.com/api/"


def make_web_client(bot_token: str, api_url: str | None = None,
                    rate_limit_retries: int = 2) -> AsyncWebClient:
    """A Web API client; `api_url` points it elsewhere (a proxy, a test double)."""
    base = (api_url or SLACK_API_URL).rstrip("/") + "/"
    client = AsyncWebClient(token=bot_token, base_url=base, timeout=30)
    # `ratelimited` (HTTP 429): wait the Retry-After Slack sends, then try again, a few times.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(
        max_retry_count=rate_limit_retries))
    return client


def socket_mode_handler(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    """Socket Mode for workspaces without a public URL (connects only on `start_async`)."""
    if not app_token.startswith("xapp-"):
        raise ValueError("Socket Mode needs an app-level token (xapp-…) in SLACK_APP_TOKEN")
    return AsyncSocketModeHandler(app, app_token)
