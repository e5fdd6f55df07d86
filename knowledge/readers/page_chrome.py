"""Page chrome of blog templates: the parts of every page that are no post's text."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Template:
    """Where one family of blog templates keeps its chrome."""

    name: str
    classes: frozenset[str]
    ids: frozenset[str]
    # Blogger widget types: chrome when the element also has class "widget" (a post's own
    # markup may use class="Text"; the posts themselves sit in the "Blog" widget).
    widgets: frozenset[str] = frozenset()


# Templates put their header greeting, sidebars, post footers ("Posted by … No comments")
# and pagers in containers with stable class names or ids. Archive and search pages repeat
# them around every post, so left in they would become part of the post's text.
TEMPLATES: tuple[Template, ...] = (
    Template(
        "blogger",
        classes=frozenset({"header-outer", "tabs-outer", "sidebar", "sidebar-container",
                           "column-left-outer", "column-right-outer", "footer-outer",
                           "post-footer", "post-share-buttons", "blog-pager", "comments",
                           "navbar", "blog-feeds"}),
        ids=frozenset({"header", "navbar", "sidebar", "sidebar-wrapper", "footer", "comments",
                       "blog-pager"}),
        widgets=frozenset({"Header", "Text", "HTML", "Profile", "BlogArchive", "Label",
                           "PopularPosts", "Attribution", "Navbar", "Followers", "BlogSearch",
                           "LinkList", "PageList", "Subscribe", "ContactForm"}),
    ),
    Template(
        "wordpress",
        classes=frozenset({"site-header", "site-footer", "widget-area", "comments-area",
                           "post-navigation", "sharedaddy", "jp-relatedposts"}),
        ids=frozenset({"masthead", "secondary", "colophon"}),
    ),
)


def drop_chrome(root: etree._Element) -> int:
    """Remove template chrome from a parsed page in place; returns how many parts went."""
    removed = 0
    for element in [e for e in root.iter() if isinstance(e.tag, str) and is_chrome(e)]:
        parent = element.getparent()
        if parent is None or not _attached(element, root):
            continue  # already gone with an ancestor
        _remove_keeping_tail(element, parent)
        removed += 1
    return removed


def is_chrome(element: etree._Element) -> bool:
    """Whether an element is a template's chrome container."""
    classes = set((element.get("class") or "").split())
    ident = element.get("id") or ""
    widget = "widget" in classes
    return any(
        ident in t.ids or classes & t.classes or (widget and classes & t.widgets)
        for t in TEMPLATES
    )


def _attached(element: etree._Element, root: etree._Element) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors())


def _remove_keeping_tail(element: etree._Element, parent: etree._Element) -> None:
    # The tail is the parent's text, not the removed element's.
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
