"""Checking a port before serving, so a busy one is a sentence rather than an errno."""

from __future__ import annotations

import errno
import socket


class PortBusy(Exception):
    """The port is taken; the message names it and the way out."""


def check_port_free(host: str, port: int) -> None:
    """Raise PortBusy (naming the port and how to pick another) when host:port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise PortBusy(busy_message(host, port)) from None


def busy_message(host: str, port: int) -> str:
    """What to tell an operator whose port is taken."""
    other = port + 1 if port < 65535 else 8080
    return (f"port {port} on {host} is already in use (another `avatar serve`, or another "
            f"program). Stop that one, or pick another port: `avatar serve --port {other}` "
            f"or `make run PORT={other}`.")
