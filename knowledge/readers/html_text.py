"""HTML to clean plain text, keeping paragraphs (one blank line between them)."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from knowledge.speakers import Hint

# Never text a reader should see.
_DROP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "iframe", "svg", "canvas", "object",
        "embed", "button", "select", "input", "textarea", "option", "graphic", "math",
    }
)
# Page furniture: dropped only when extracting a whole page, never inside a post's content.
# (Not <form>: ASP.NET pages wrap the whole page in one.)
_BOILERPLATE = frozenset({"nav", "footer", "aside", "menu", "dialog"})
# Elements that end a paragraph. Includes the tags trafilatura uses in its output tree
# (head, list, quote, row) so its extraction can be rendered the same way.
_PARAGRAPH = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
        "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
        "figure", "figcaption", "hr", "address", "center", "details", "summary", "fieldset",
        "head", "list", "quote", "body", "html", "tbody", "thead", "tfoot", "caption",
    }
)
# Elements that end a line but not a paragraph (list items and table rows stay together).
_LINE = frozenset({"li", "dt", "dd", "tr", "item", "row", "br", "lb"})
_CELL = frozenset({"td", "th", "cell"})

_QUOTE_TAGS = frozenset({"blockquote", "quote"})

_PARA_MARK = "\n\n"
_LINE_MARK = "\n"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def html_to_text(html: str) -> str:
    """Turn an HTML document or fragment into clean text with paragraphs kept."""
    root = parse_html(html)
    if root is None:
        return ""
    body = root.find(".//body")
    return element_to_text(body if body is not None else root)


def html_to_text_and_quotes(html: str) -> tuple[str, tuple[Hint, ...]]:
    """html_to_text, plus the text of each block quote as a speaker hint (one parse)."""
    root = parse_html(html)
    if root is None:
        return "", ()
    body = root.find(".//body")
    element = body if body is not None else root
    return element_to_text(element), quote_hints(element)


def quote_hints(element: etree._Element) -> tuple[Hint, ...]:
    """The text of every outermost <blockquote> (trafilatura's <quote>) under element."""
    hints = []
    for found in element.iter("blockquote", "quote"):
        if any(_tag(a) in _QUOTE_TAGS for a in found.iterancestors()):
            continue  # its text is already in the outer quote's
        text = element_to_text(found)
        if text:
            hints.append(Hint(text))
    return tuple(hints)


def parse_html(html: str | bytes) -> etree._Element | None:
    """Parse HTML leniently; None when there is nothing to parse."""
    if isinstance(html, str):
        # lxml refuses str input that carries an encoding declaration.
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def element_to_text(element: etree._Element, *, drop_boilerplate: bool = False) -> str:
    """Render one element (and everything inside it) as clean paragraphs."""
    pieces: list[str] = []
    drop = _DROP | _BOILERPLATE if drop_boilerplate else _DROP
    _walk(element, pieces, drop, in_pre=False)
    return normalize_text("".join(pieces))


def normalize_text(text: str) -> str:
    """Collapse spaces, strip lines, and keep exactly one blank line between paragraphs."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs: list[str] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def _tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return etree.QName(tag).localname.lower() if "}" in tag else tag.lower()


def _walk(element: etree._Element, out: list[str], drop: frozenset[str], *, in_pre: bool) -> None:
    tag = _tag(element)
    if tag and tag not in drop:
        pre = in_pre or tag == "pre"
        if tag in _PARAGRAPH:
            out.append(_PARA_MARK)
        if tag in ("br", "lb"):
            out.append(_LINE_MARK)
        if element.text:
            out.append(_inline(element.text, pre))
        for child in element:
            _walk(child, out, drop, in_pre=pre)
        if tag in _PARAGRAPH:
            out.append(_PARA_MARK)
        elif tag in _LINE and tag not in ("br", "lb"):
            out.append(_LINE_MARK)
        elif tag in _CELL:
            out.append(" ")
    # The tail belongs to the parent, so it is kept even when this element is dropped.
    if element.tail:
        out.append(_inline(element.tail, in_pre))


def _inline(text: str, pre: bool) -> str:
    # Newlines in HTML source are just spaces, except inside <pre>.
    return text if pre else re.sub(r"\s+", " ", text)
