"""Slack's message text format: reading what users typed, escaping what the bot writes."""

from __future__ import annotations

import re

_LEADING_MENTIONS_RE = re.compile(r"^(?:\s*<@[A-Z0-9]+(?:\|[^>]*)?>)+")
_MENTION_RE = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>")
# Slack wraps links as <url> or <url|label>; channels <#C..|name>, groups <!here> etc.
_LINK_RE = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
_SPECIAL_RE = re.compile(r"<[#!][^>|]*(?:\|([^>]*))?>")
_URL_RE = re.compile(r"<(https?://[^>|]+)(?:\|[^>]*)?>|(https?://\S+)")


def plain_text(text: str) -> str:
    """What a user typed: the leading mention of the bot dropped, Slack's markup undone."""
    text = _LEADING_MENTIONS_RE.sub(" ", text)
    # Other people named in the question stay named ("what would @maria say").
    text = _MENTION_RE.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _LINK_RE.sub(lambda m: m.group(1), text)
    text = _SPECIAL_RE.sub(lambda m: m.group(1) or "", text)
    text = unescape(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def urls_in(text: str) -> list[str]:
    """The http(s) URLs of a message, whether Slack wrapped them in <…> or not."""
    found = [m.group(1) or m.group(2) for m in _URL_RE.finditer(text)]
    return [unescape(url).rstrip(".,;)") for url in found]


def unescape(text: str) -> str:
    """Undo Slack's three escapes (&amp; &lt; &gt;)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Escape text for mrkdwn so nothing in a post or a reply becomes a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link; just the escaped label when there is no usable URL."""
    label = escape(label).replace("|", "¦")
    if not url.lower().startswith(("http://", "https://")):
        return label
    return f"<{escape(url).replace('|', '%7C')}|{label}>"


def clip_tail(text: str, limit: int) -> str:
    """The last `limit` characters of text, starting at a word, after an ellipsis."""
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):].split(" ", 1)[-1]


def clip(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + "…"


def one_line(text: str) -> str:
    """Text with every run of whitespace (newlines too) made one space."""
    return " ".join(text.split())
