"""Slack's v0 request signature, checked on the raw bytes before anything is decoded."""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 300  # Slack's own replay window
_MAX_TIMESTAMP_DIGITS = 12  # seconds since 1970 fit in 10 digits until the year 2286


def is_valid_signature(secret: str, body: bytes, timestamp: str | None,
                       signature: str | None, now: float | None = None) -> bool:
    """True when the request is signed with secret and fresh; never raises on odd input."""
    if not secret or not timestamp or not signature:
        return False
    # ASCII digits only, and few: int() of a 5,000-digit string raises, a Unicode digit
    # string would encode differently from what was signed.
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > _MAX_TIMESTAMP_DIGITS:
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
