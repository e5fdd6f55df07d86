"""The author's quoted words as Slack block quotes (`>` lines) in escaped mrkdwn."""

from __future__ import annotations

import re

# `…: "a quoted passage" [2]` once escaped: the passage goes on its own `>` line.
_INLINE_QUOTE_RE = re.compile(
    r'(?P<lead>:)[ \t]*"(?P<quote>[^"\n]{20,})"(?P<cite>(?:[ \t]*\[\d+\])*)[ \t]*')
# A model's Markdown block quote, escaped to `&gt; `: Slack wants the bare `>` back.
_MARKDOWN_QUOTE_RE = re.compile(r"^&gt;[ \t]?", re.M)
_BULLET_RE = re.compile(r"^[-*][ \t]+", re.M)


def block_quotes(escaped: str) -> str:
    """Escaped text with quoted passages as block quotes and `- ` bullets as `•`."""
    text = _MARKDOWN_QUOTE_RE.sub(">", escaped)
    text = _BULLET_RE.sub("• ", text)
    return _INLINE_QUOTE_RE.sub(_quote_line, text)


def _quote_line(match: re.Match[str]) -> str:
    cite = match.group("cite").strip()
    return f"{match.group('lead')}\n>{match.group('quote')}{' ' + cite if cite else ''}\n"
