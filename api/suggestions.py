"""Follow-ups after a reply, drawn from the archive: a related post it did not cite, the
strongest objection in the author's own writing, and (after a question) debating it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from knowledge.search import SearchHit

Search = Callable[[str, int], Sequence[SearchHit]]
COUNTER_WORDS = "the strongest objection against this, critics argue, however, the other side"


def _post(hit: SearchHit) -> dict[str, Any]:
    return {"post_id": hit.post_id, "title": hit.title, "url": hit.url,
            "published": hit.published.isoformat() if hit.published else None}


def _first_new(hits: Sequence[SearchHit], skip: set[str]) -> SearchHit | None:
    return next((h for h in hits if h.post_id not in skip), None)


def follow_ups(search: Search, question: str, mode: str, cited: Sequence[str],
               motion: str = "") -> list[dict[str, Any]]:
    """Two or three follow-ups, each `{kind, label, message, mode, post?}`; none if silent."""
    topic = motion or question
    used = set(cited)
    found: list[dict[str, Any]] = []
    related = _first_new(search(topic, 8), used)
    if related is not None:
        used.add(related.post_id)
        found.append({"kind": "related", "label": f"Also: “{related.title}”",
                      "message": f"What did you argue in “{related.title}”?", "mode": "ask",
                      "post": _post(related)})
    counter = _first_new(search(f"{topic} {COUNTER_WORDS}", 8), used)
    if counter is not None:
        found.append({"kind": "counter", "label": "The strongest objection",
                      "message": (f"What is the strongest objection to your view, as you "
                                  f"weighed it in “{counter.title}”?"),
                      "mode": "ask", "post": _post(counter)})
    if found and mode == "ask":
        found.append({"kind": "debate", "label": "Debate this", "message": question,
                      "mode": "debate", "post": None})
    return found[:3]
