"""Security headers on every response: the chat page's CSP wherever HTML is served."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.routes.pages import page_csp

# FastAPI's own docs pages load their scripts from a CDN: they only get frame-ancestors.
DOCS_PATHS = ("/docs", "/redoc")
NOT_FRAMED = "frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    """nosniff everywhere; HTML gets the page CSP (framed only by allowed origins), the rest
    may not be framed at all."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self.page_policy = page_csp(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers a response lacks as it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                html = headers.get("content-type", "").startswith("text/html")
                if html and not path.startswith(DOCS_PATHS):
                    headers.setdefault("Content-Security-Policy", self.page_policy)
                else:
                    headers.setdefault("Content-Security-Policy", NOT_FRAMED)
            await send(message)

        await self.app(scope, receive, send_with_headers)
