"""The search text for a follow-up: the new question whole, the earlier turn trimmed to fit."""

from __future__ import annotations

MAX_QUERY_CHARS = 2000


def standalone_query(earlier: str, message: str, limit: int = MAX_QUERY_CHARS) -> str:
    """`earlier message` in at most `limit` characters, never cutting the message itself.

    The message is what the reader asks now, so it always survives whole (even alone past
    the limit); the earlier turn only lends its subject, and its latest words matter most.
    """
    message = " ".join(message.split())
    earlier = " ".join(earlier.split())
    room = limit - len(message) - 1
    if not earlier or room <= 0:
        return message
    if len(earlier) > room:
        earlier = earlier[-room:]
        # Start on a word boundary: half a word would only add noise to the search.
        space = earlier.find(" ")
        earlier = earlier[space + 1 :] if 0 <= space < len(earlier) - 1 else earlier
    return f"{earlier} {message}"
