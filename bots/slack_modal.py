"""The editors' "Add posts" modal: `/avatar add` with no URL opens it (views.open)."""

from __future__ import annotations

from typing import Any

from bots.slack_text import urls_in

ADD_VIEW = "avatar_add"
URLS_BLOCK = "urls"


def add_view() -> dict[str, Any]:
    """A modal with one multi-line field for URLs."""
    def plain(text: str) -> dict[str, str]:
        return {"type": "plain_text", "text": text}

    return {
        "type": "modal", "callback_id": ADD_VIEW, "title": plain("Add posts"),
        "submit": plain("Add"), "close": plain("Cancel"),
        "blocks": [{
            "type": "input", "block_id": URLS_BLOCK,
            "label": plain("Pages, feeds or sitemaps to add, one URL per line"),
            "element": {"type": "plain_text_input", "action_id": URLS_BLOCK, "multiline": True,
                        "placeholder": plain("https://yourblog.example/2024/05/a-post.html")},
        }],
    }


def submitted_urls(view: dict[str, Any]) -> list[str]:
    """The URLs typed into the modal."""
    values = view.get("state", {}).get("values", {})
    text = values.get(URLS_BLOCK, {}).get(URLS_BLOCK, {}).get("value") or ""
    return urls_in(text)
