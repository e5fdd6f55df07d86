"""A stand-in for the author's blog on another origin, with the widget's script tag on it."""

from __future__ import annotations

from html import escape

from tests.support.static_server import Route, StaticServer

POST_URL = "https://ada-lindqvist.example/2016/06/who-pays-for-the-plumbing.html"
POST_TEXT = ("<p>I believe companies that depend on open-source software have a "
             "responsibility to pay the people who maintain it.</p>")


def blog_page(widget_src: str, *, on_post: bool = False, greeting: str = "") -> bytes:
    """One of Ada's posts as her blog serves it, the widget's one tag at its end."""
    options = ' data-open-on-post="true"' if on_post else ""
    if greeting:
        options += f' data-greeting="{escape(greeting)}"'
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Who Pays for the Plumbing? — Ada Lindqvist</title>'
            f'<link rel="canonical" href="{POST_URL}"></head>'
            f'<body style="font:17px/1.6 Georgia,serif;max-width:680px;margin:40px auto;'
            f'padding:0 20px;color:#222">'
            f"<p style=\"color:#777\">Ada Lindqvist's blog · 6 Jun 2016</p>"
            f"<h1>Who Pays for the Plumbing?</h1>{POST_TEXT}{POST_TEXT}"
            f'<p>Regards, Ada</p><script src="{escape(widget_src)}"{options} async></script>'
            f"</body></html>").encode()


def serve_blog(site: StaticServer, widget_src: str, **options: object) -> str:
    """Put the post page on `site`; returns its URL."""
    return site.add_route("/2016/06/post.html", Route(body=blog_page(widget_src, **options)))  # type: ignore[arg-type]
