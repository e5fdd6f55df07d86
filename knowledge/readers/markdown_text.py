"""Markdown posts: YAML front matter for metadata, and the body as plain text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from knowledge.readers.dates import coerce_date
from knowledge.readers.errors import ReadError
from knowledge.readers.fields import clean_author, clean_tags, clean_title
from knowledge.readers.html_text import normalize_text
from knowledge.readers.post_fields import PostFields
from knowledge.speakers import Hint

_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$\r?\n?", re.S | re.M
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1"
    r"|(?<![\w*])\*(?=\S)(?P<em>[^*\n]+?)(?<=\S)\*(?!\w)"
    # Underscores inside words (snake_case) are not emphasis.
    r"|(?<!\w)_(?=\S)(?P<us>[^_\n]+?)(?<=\S)_(?!\w)"
)
_CODE = re.compile(r"`([^`\n]+)`")
_LIST_OR_TABLE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")
_QUOTE = re.compile(r"^\s{0,3}>\s?")


def parse_markdown(source: str, *, name: str) -> PostFields:
    """Read front matter (title, date, url, tags, author); turn the Markdown body into text."""
    meta, body = split_front_matter(source, name=name)
    title = clean_title(str(meta.get("title") or ""))
    heading, rest = _take_first_heading(body)
    # A leading '# Title' is the title: taken from there, or dropped when it repeats it.
    if not title or heading == title:
        title, body = title or heading, rest
    tags = meta.get("tags") or meta.get("categories") or meta.get("keywords") or ()
    if isinstance(tags, str | int | float):
        tags = [tags]
    url = str(meta.get("url") or meta.get("permalink") or meta.get("link") or "").strip()
    return PostFields(
        title=title,
        text=markdown_to_text(body),
        hints=tuple(Hint(markdown_to_text(block)) for block in quoted_blocks(body)),
        url=url if url.startswith(("http://", "https://")) else "",
        published=_date(meta, "date", "published", "pubDate", "created"),
        updated=_date(meta, "updated", "lastmod", "modified", "last_modified_at"),
        tags=clean_tags(tags),
        author=_author(meta.get("author") or meta.get("authors")),
    )


def split_front_matter(source: str, *, name: str) -> tuple[dict[str, Any], str]:
    """(front matter as a dict, body) — an empty dict when there is none."""
    source = source.lstrip("\ufeff")
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        meta = yaml.safe_load(match["yaml"]) or {}
    except yaml.YAMLError as exc:
        raise ReadError(f"{name} has front matter that is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ReadError(f"{name} has front matter that is not a mapping of fields")
    return {str(k): v for k, v in meta.items()}, source[match.end() :]


def markdown_to_text(markdown: str) -> str:
    """Markdown to plain text: markup dropped, wrapped lines joined, paragraphs kept."""
    out: list[str] = []
    in_code = False
    for raw in markdown.splitlines():
        if _FENCE.match(raw):
            in_code = not in_code
            out.append("")  # a code block is a paragraph of its own
            continue
        if in_code:
            out.append("\x00" + raw)  # marked so its line breaks survive joining
            continue
        if _REF_DEF.match(raw) or _RULE.match(raw) or _SETEXT_RULE.match(raw):
            out.append("")
            continue
        heading = _HEADING.match(raw)
        if heading:
            out.extend(["", _inline(heading["text"]), ""])
            continue
        line = _QUOTE.sub("", raw)
        prefix = "\x00" if _LIST_OR_TABLE.match(line) else ""
        out.append(prefix + _inline(line))
    return normalize_text(_join_wrapped(out))


def quoted_blocks(markdown: str) -> list[str]:
    """The Markdown of each '>' block quote (marks removed), outside code fences."""
    blocks: list[list[str]] = []
    in_code = previous_quoted = False
    for raw in markdown.splitlines():
        if _FENCE.match(raw):
            in_code = not in_code
        quoted = not in_code and bool(_QUOTE.match(raw))
        if quoted:
            if not previous_quoted:
                blocks.append([])
            blocks[-1].append(_QUOTE.sub("", raw))
        previous_quoted = quoted
    return ["\n".join(lines) for lines in blocks if "".join(lines).strip()]


def _inline(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(lambda m: m["text"], line)
    line = _AUTOLINK.sub(lambda m: m["url"], line)
    line = _HTML_TAG.sub("", line)
    line = _CODE.sub(lambda m: m.group(1), line)
    for _ in range(2):  # nested emphasis such as ***word***
        line = _EMPHASIS.sub(lambda m: m["text"] or m["em"] or m["us"] or "", line)
    return line.rstrip("\\")


def _join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines of a paragraph; list items, tables and code keep their lines."""
    out: list[str] = []
    for line in lines:
        keep = line.startswith("\x00")
        line = line.lstrip("\x00")
        starts_line = not line.strip() or not out or not out[-1].strip()
        if keep or starts_line or out[-1].startswith("\x01"):
            out.append(("\x01" if keep else "") + line)
        else:
            out[-1] = out[-1].rstrip() + " " + line.strip()
    return "\n".join(line.lstrip("\x01") for line in out)


def _take_first_heading(body: str) -> tuple[str, str]:
    """Use a leading '# Heading' as the title, removing it from the body."""
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading and len(heading["marks"]) == 1:
            return clean_title(_inline(heading["text"])), "\n".join(lines[index + 1 :])
        break
    return "", body


def _date(meta: dict[str, Any], *names: str) -> date | None:
    for name in names:
        found = coerce_date(meta.get(name))
        if found:
            return found
    return None


def _author(value: Any) -> str:
    """A front-matter author: a name, the first of a list, or a mapping's `name`."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return clean_author(value)
