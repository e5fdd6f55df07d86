"""Parse untrusted XML safely and tell what kind of document it is."""

from __future__ import annotations

from lxml import etree

from knowledge.readers.errors import ReadError

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
BLOGGER_2018_NS = "http://schemas.google.com/blogger/2018"


def parse_xml(content: bytes, *, name: str) -> etree._Element:
    """The root element of an XML document; ReadError when it is not well-formed XML."""
    # No entity expansion (XXE, "billion laughs") and no network access while parsing.
    # huge_tree: one oversized post must not make a whole blog's export unreadable; it is
    # reported on its own by the size check instead.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True
    )
    try:
        root = etree.fromstring(bytes(content), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{name} is not well-formed XML: {exc}") from exc
    if root is None:
        raise ReadError(f"{name} is not well-formed XML: no root element")
    return root


def local_name(element: etree._Element) -> str:
    """The element's tag without its namespace ('' for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname


def sniff_xml_kind(content: bytes) -> str:
    """'blogger-export', 'feed', 'sitemap' or '' for an XML document, from its root and entries."""
    try:
        root = parse_xml(content, name="document")
    except ReadError:
        # Feeds in the wild are often not well-formed; feedparser copes, so let it try.
        head = bytes(content[:2048]).lower()
        return "feed" if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head else ""
    name = local_name(root)
    if name in ("urlset", "sitemapindex"):
        return "sitemap"
    if name == "feed" and is_blogger_export(root):
        return "blogger-export"
    if name in ("feed", "rss", "RDF"):
        return "feed"
    return ""


def is_blogger_export(root: etree._Element) -> bool:
    """True for a Blogger backup: Takeout's blogger:type entries, or classic kind categories."""
    if local_name(root) != "feed":
        return False
    if root.find(f"{{{ATOM_NS}}}entry/{{{BLOGGER_2018_NS}}}type") is not None:
        return True
    # The public feed pages itself with rel=next; an export is one complete document.
    if root.find(f"{{{ATOM_NS}}}link[@rel='next']") is not None:
        return False
    # Classic exports mark every entry's kind (post, comment, settings, template); a
    # one-page feed that does so too is read just as well by the export reader.
    kinds = root.iterfind(f"{{{ATOM_NS}}}entry/{{{ATOM_NS}}}category[@scheme='{KIND_SCHEME}']")
    return next(kinds, None) is not None
