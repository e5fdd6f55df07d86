"""/docs and /redoc from files installed with a Python package (no CDN), and the favicon."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.routes.pages import STATIC_DIR

ASSETS = "/docs-assets"
FAVICON = STATIC_DIR / "favicon.svg"
OAUTH_REDIRECT = "/docs/oauth2-redirect"

router = APIRouter(include_in_schema=False)


def assets_dir() -> Path:
    """Swagger UI and ReDoc as the fastapi-offline package ships them (MIT; plain files)."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def mount_docs(app: FastAPI) -> None:
    """Serve the docs pages and their assets on `app` (built with docs_url=None)."""
    app.mount(ASSETS, StaticFiles(directory=assets_dir()), name="docs-assets")
    app.include_router(router)


@router.get("/docs")
def swagger() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="Debate Avatar — API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url="/favicon.ico", oauth2_redirect_url=OAUTH_REDIRECT)


@router.get(OAUTH_REDIRECT)
def swagger_redirect() -> HTMLResponse:
    """Swagger UI's OAuth2 redirect page."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc() -> HTMLResponse:
    """ReDoc over /openapi.json, without Google Fonts."""
    return get_redoc_html(
        openapi_url="/openapi.json", title="Debate Avatar — API reference",
        redoc_js_url=f"{ASSETS}/redoc.standalone.js",
        redoc_favicon_url="/favicon.ico", with_google_fonts=False)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The avatar's mark (SVG), so browsers stop asking in vain."""
    return FileResponse(FAVICON, media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})
