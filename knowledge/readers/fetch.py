"""Fetch one URL over HTTP safely: size and time limits, checked redirects, no private hosts."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from knowledge.readers.errors import MB, ReadError, format_size

__all__ = ["DEFAULT_USER_AGENT", "FetchedDocument", "Fetcher", "PinnedBackend", "ReadError",
           "check_url_allowed"]

DEFAULT_USER_AGENT = "DebateAvatar/0.1 (archive reader)"
_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, "
    "text/html;q=0.8, */*;q=0.5"
)
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchedDocument:
    """The body of a successful GET, with where it finally came from and what it says it is."""

    url: str
    final_url: str
    content: bytes
    content_type: str = ""
    charset: str | None = None


class Fetcher:
    """A synchronous HTTP GET client with the limits an ingest of untrusted URLs needs."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = 10 * MB,
        user_agent: str = DEFAULT_USER_AGENT,
        allow_private: bool = False,
        max_redirects: int = 5,
        trust_env: bool = False,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.max_redirects = max_redirects
        # Redirects are followed by hand so every hop goes through the same checks.
        # trust_env is off by default: a proxy would resolve hosts where we cannot check them.
        transport = httpx.HTTPTransport(trust_env=trust_env)
        # Every connection (every hop) resolves its host once, checks each address and
        # connects to a checked one: a second lookup by the socket layer could rebind.
        transport._pool._network_backend = PinnedBackend(allow_private)
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept": _ACCEPT},
            trust_env=trust_env,
            transport=transport,
        )

    def get(self, url: str) -> FetchedDocument:
        """GET a URL, following checked redirects; raise ReadError with a clear reason."""
        current = url
        seen = {url}
        for _ in range(self.max_redirects + 1):
            check_url_allowed(current, allow_private=self.allow_private)
            location = self._get_once(current, original=url)
            if isinstance(location, FetchedDocument):
                return location
            nxt = urljoin(current, location)
            if nxt in seen:
                raise ReadError(f"{url} redirects in a loop (back to {nxt})")
            seen.add(nxt)
            current = nxt
        raise ReadError(f"{url} redirected more than {self.max_redirects} times")

    def _get_once(self, url: str, *, original: str) -> FetchedDocument | str:
        """One request: the document, or the Location to go to next."""
        where = url if url == original else f"{url} (redirected from {original})"
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code in _REDIRECT_CODES and "location" in response.headers:
                    return response.headers["location"]
                if response.status_code >= 400:
                    raise ReadError(f"{where} returned HTTP {response.status_code}")
                content = self._read_limited(response, where)
                media_type, _, params = response.headers.get("content-type", "").partition(";")
                return FetchedDocument(
                    url=original,
                    final_url=str(response.url),
                    content=content,
                    content_type=media_type.strip().lower(),
                    charset=_charset(params),
                )
        except _Refused as exc:
            raise ReadError(_refusal(url, exc.host)) from None
        except httpx.TimeoutException as exc:
            raise ReadError(f"could not reach {where}: timed out after {self.timeout:g} s") from exc
        except httpx.ConnectError as exc:
            raise ReadError(f"could not reach {where}: {_connect_reason(exc)}") from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise ReadError(f"{where} is not a valid http(s) URL: {exc}") from exc
        except httpx.HTTPError as exc:
            raise ReadError(f"could not read {where}: {exc or type(exc).__name__}") from exc

    def _read_limited(self, response: httpx.Response, where: str) -> bytes:
        limit = format_size(self.max_bytes)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            size = format_size(int(declared))
            raise ReadError(f"{where} is {size}, over the {limit} limit")
        # The declared length can lie or be absent (chunked, compressed): count as we stream.
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > self.max_bytes:
                raise ReadError(f"{where} is more than {limit}, over the {limit} limit")
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def check_url_allowed(url: str, *, allow_private: bool = False) -> None:
    """Raise ReadError unless url is http(s) and (unless allowed) its host is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ReadError(f"{url} is not an http or https URL")
    host = parts.hostname
    if not host:
        raise ReadError(f"{url} has no host name")
    if allow_private:
        return
    # A host could resolve differently a moment later (DNS rebinding): this early check
    # gives the clear message, and PinnedBackend checks again the address it connects to.
    if not all(is_public_address(a) for a in _resolve(host, url)):
        raise ReadError(_refusal(url, host))


def _refusal(url: str, host: str) -> str:
    # Never the resolved address: a refusal must not tell anonymous callers what a name
    # means on the inside.
    return f"refusing to fetch {url}: {host} is a private or local address"


class _Refused(Exception):
    """A connection to a host whose resolution includes a non-public address."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.host = host


class PinnedBackend(httpcore.NetworkBackend):
    """Connect only to an address that was checked, from the one resolution that was checked."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        """Resolve host once, refuse if any address is private, connect to a checked one."""
        try:
            addresses = _resolve(host, host)
        except ReadError as exc:
            raise httpcore.ConnectError("host not found") from exc
        if not self._allow_private and not all(is_public_address(a) for a in addresses):
            raise _Refused(host)
        error: Exception = httpcore.ConnectError("no address to connect to")
        for address in addresses:
            try:
                # TLS still names the host (SNI and certificate), set by httpcore above this.
                return self._inner.connect_tcp(str(address), port, timeout, local_address,
                                               socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None
                            ) -> httpcore.NetworkStream:
        """Never: a fetched URL names a host, not a local socket."""
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        """Delegate to the standard backend."""
        self._inner.sleep(seconds)


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address; False for private, loopback, etc."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _resolve(host: str, url: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ReadError(f"could not reach {url}: host {host} not found") from exc
    # Scope ids ("fe80::1%eth0") are not part of the address itself.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0])
                              for info in infos))


def _connect_reason(exc: httpx.ConnectError) -> str:
    message = str(exc)
    lowered = message.lower()
    if "refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "name resolution" in lowered:
        return "host not found"
    if "unreachable" in lowered:
        return "network is unreachable"
    return message or "connection failed"


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
