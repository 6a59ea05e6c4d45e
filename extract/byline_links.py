"""A byline as a label and a link to the author's page: "By <a href="/author/jane-doe">
Jane Doe</a>".

Most blogs and many newsrooms mark their bylines no other way: no author meta tag,
no JSON-LD, no class that says "author". The link's target says what the words are
(WordPress's /author/, a newsroom's /authors/ or /by/ or /profile/ pages), and the
label before it says it is this page's byline and not a list of other writers. Only
used when the page declares no author and trafilatura's byline search finds none.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from extract.byline import clean_name

# The last step of the link's path is the author's name or handle.
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|by|writers?|contributors?|people|profiles?|staff|columnists?|"
    r"journalists?|reporters?|team)/[^/]+/?$", re.I)
# The label that ends right before the link ("By", "Written by:", "Posted By", and in
# the languages whose bylines read the same way).
_LABEL = re.compile(
    r"(?:^|\W)(?:by|written by|posted by|words by|authors?:?|von|par|por|di|door|av|"
    r"przez|автор:?|بقلم|كتب|كتبت)\s*[:\-–—]?\s*$", re.I)
# Between two authors' links.
_AND = re.compile(r"^\s*(?:,|&|and|und|et|y|e|و|،)\s*$", re.I)
# Where a labelled author link is another text's: comments, other stories. Not
# trafilatura's discard list for bylines, whose "sidebar" also matches a theme's
# `content-sidebar-wrap` around the whole article.
_NOT_THIS_PAGES = re.compile(r"comment|related|recommended|more-stories|read-next", re.I)
LABEL_MAX_CHARS = 40   # the label, with a date before it at most ("May 3, 2017 By")
NAME_MAX_WORDS = 6
ANCESTORS_LOOKED_AT = 3


def _text_before(link: HtmlElement, ancestor: HtmlElement) -> str:
    """The text of `ancestor` that comes before `link`."""
    parts, node = [], link
    while node is not ancestor:
        parent = node.getparent()
        chunk = [parent.text or ""]
        for child in parent:
            if child is node:
                break
            if isinstance(child.tag, str):  # not a comment or processing instruction
                chunk.append(child.text_content())
            chunk.append(child.tail or "")
        parts.append("".join(chunk))
        node = parent
    return "".join(reversed(parts))


def _label_before(link: HtmlElement) -> str:
    """The nearest text before the link: within its parent, or the closest of its
    ancestors that has any ("<p>By <span><a>…" and "<div><span>By</span><a>…")."""
    ancestor = link.getparent()
    for _ in range(ANCESTORS_LOOKED_AT):
        before = " ".join(_text_before(link, ancestor).split())
        if before or ancestor.getparent() is None:
            return before
        ancestor = ancestor.getparent()
    return before


def _is_author_link(element: HtmlElement) -> bool:
    if element.tag != "a":
        return False
    if (element.get("rel") or "").lower() == "author":
        return True
    return bool(_AUTHOR_PAGE.search(urlsplit(element.get("href") or "").path))


def _name_of(link: HtmlElement) -> str | None:
    words = link.text_content().split()
    return clean_name(" ".join(words)) if 0 < len(words) <= NAME_MAX_WORDS else None


def _co_authors(link: HtmlElement) -> list[str]:
    """The names of the author links that follow this one, joined by "and" or commas."""
    names, node = [], link
    while (following := node.getnext()) is not None and _AND.match(node.tail or "") \
            and _is_author_link(following) and (name := _name_of(following)):
        names.append(name)
        node = following
    return names


def _in_comments_or_related(element: HtmlElement) -> bool:
    return any(_NOT_THIS_PAGES.search(f"{node.get('class', '')} {node.get('id', '')}")
               for node in element.iterancestors())


def linked_byline(tree: HtmlElement) -> str | None:
    """The first labelled link to an author's page, in document order, with the links
    to co-authors after it ("; " between names, as trafilatura writes them); none in
    comments or lists of other stories."""
    for link in tree.iter("a"):
        if not _is_author_link(link) or (name := _name_of(link)) is None:
            continue
        label = _label_before(link)
        if len(label) <= LABEL_MAX_CHARS and _LABEL.search(label) \
                and not _in_comments_or_related(link):
            return "; ".join([name, *_co_authors(link)])
    return None
