"""A small threaded HTTP server on 127.0.0.1 for tests: serves a folder plus ad-hoc routes.

Text files may contain {{BASE_URL}}, replaced with the server's address when served, so
fixtures can hold absolute links (feed paging, alternate links) to a server on a random port.
"""

from __future__ import annotations

import contextlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

BASE_URL_MARK = b"{{BASE_URL}}"
_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}


@dataclass
class Route:
    """A canned response for one path (query string included when given)."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # Leave out Content-Length (the body then ends when the connection closes).
    omit_length: bool = False
    # Seconds to wait before answering (for timeout tests).
    delay: float = 0.0


class StaticServer:
    """Serve files under root, and routes added by tests, on 127.0.0.1 at a random port."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []  # request paths (with query), in order
        self.request_headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + "/" + path.lstrip("/")

    def add_route(self, path: str, route: Route) -> str:
        """Serve route at path (with its query string, if any); returns its absolute URL."""
        self.routes["/" + path.lstrip("/")] = route
        return self.url(path)

    def file_body(self, name: str) -> bytes:
        """A file under root as this server would serve it ({{BASE_URL}} filled in)."""
        if self.root is None:
            raise FileNotFoundError(name)
        return (self.root / name).read_bytes().replace(BASE_URL_MARK, self.base_url.encode())

    def start(self) -> StaticServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def count(self, path: str) -> int:
        """How many requests asked for path (with its query string, if given)."""
        with self._lock:
            return self.requests.count("/" + path.lstrip("/"))

    def _respond(self, raw_path: str, headers: dict[str, str]) -> Route:
        with self._lock:
            self.requests.append(raw_path)
            self.request_headers.append(headers)
        route = self.routes.get(raw_path) or self.routes.get(urlsplit(raw_path).path)
        if route is not None:
            return route
        return self._file_route(urlsplit(raw_path).path)

    def _file_route(self, path: str) -> Route:
        if self.root is None:
            return Route(body=b"not found", status=404, content_type="text/plain")
        root = self.root.resolve()
        file = (root / path.lstrip("/")).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            return Route(body=b"not found", status=404, content_type="text/plain")
        body = file.read_bytes().replace(BASE_URL_MARK, self.base_url.encode())
        content_type = _TYPES.get(file.suffix.lower()) or (
            mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        )
        return Route(body=body, content_type=content_type)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = server._respond(self.path, dict(self.headers.items()))
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if not route.omit_length:
                    self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                # The client may stop reading (e.g. at a size limit): that is the point.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output quiet

        return Handler
