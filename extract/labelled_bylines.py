"""Bylines as a page shows them: a label and a name, with no markup that says "author".

Most blogs and many newsrooms mark their bylines no other way: no author meta tag,
no JSON-LD, no class with "author" or "byline" in it. Two forms are read, in this
order: a label and a link to the author's page ("By <a href="/author/jane-doe">Jane
Doe</a>"), where the link's target says what the words are (WordPress's /author/, a
newsroom's /authors/, /by/ or /profile/ pages) and the label that it is this page's
byline and not a list of other writers; then a short element that is only a label and
a name ("<p>By Jane Doe</p>", or "<span>By</span><span>Jane Doe</span>"). Only used
when the page declares no author and trafilatura's byline search finds none.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from extract.byline import clean_name
from extract.urls import split_url

# The last step of the link's path is the author's name or handle.
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|by|writers?|contributors?|people|profiles?|staff|columnists?|"
    r"journalists?|reporters?|team)/[^/]+/?$", re.I)
# The label that ends right before the link ("By", "Written by:", "Posted By", and in
# the languages whose bylines read the same way).
_LABEL = re.compile(
    r"(?:^|\W)(?:by|written by|posted by|words by|authors?:?|von|par|por|di|door|av|"
    r"przez|автор:?|بقلم|كتب|كتبت)\s*[:\-–—]?\s*$", re.I)
# A label and a name as one element's whole text, or a label alone before the name's:
# fewer labels than before a link, as "Author" or "par" open other short texts too.
# Arabic كتب is also "books": as a label it takes its dash or colon ("كتب - محمد علي").
_TEXT_LABEL = r"(?:(?:by|written by|posted by|words by|بقلم)\s*[:\-–—]?|(?:كتب|كتبت)\s*[:\-–—])"
_LABEL_ONLY = re.compile(rf"^{_TEXT_LABEL}$", re.I)
_LABEL_AND_NAME = re.compile(rf"^{_TEXT_LABEL}\s*(.+)$", re.I)
TEXT_BYLINE_MAX_CHARS = 60
TEXT_BYLINE_MAX_RAW = 1_000  # with the layout's whitespace
_OPENINGS = ("by", "written", "posted", "words", "بقلم", "كتب")
# Name particles between capitalised words ("Ann de la Cruz", "Kim and Lee").
_PARTICLES = frozenset({"de", "la", "le", "da", "di", "du", "van", "von", "der", "den", "al",
                        "el", "bin", "ibn", "y", "and", "&"})
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
    return bool(_AUTHOR_PAGE.search(split_url(element.get("href")).path))


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
               for node in (element, *element.iterancestors()))


def _looks_like_a_name(text: str) -> bool:
    """Two to five words, each capitalised (or of a script without capitals) but for
    particles, and not all capitals: a person or a desk ("The Meetingnotes Team"), not
    a filter's "By Role" or a heading's "BY USE CASE"."""
    words = text.split()
    if not 2 <= len(words) <= 5 or text.isupper():
        return False
    return all(w.lower() in _PARTICLES or (w[0].isalpha() and not w[0].islower())
               for w in words)


def _words(element: HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


_TEXT_TAGS = ("p", "span", "div", "li", "address", "h3", "h4", "h5", "h6")


def _name_in(element: HtmlElement) -> str | None:
    """The name, when the element's whole text is a label and a name, or a label alone
    with the name as the next element's whole text."""
    # Most elements fail on their first characters: a page's text is read once per
    # element that holds it, so the whole words are made only for a likely byline.
    raw = element.text_content()
    if len(raw) > TEXT_BYLINE_MAX_RAW or not raw.lstrip()[:8].lower().startswith(_OPENINGS):
        return None
    text = _words(element)
    if len(text) > TEXT_BYLINE_MAX_CHARS:
        return None
    if _LABEL_ONLY.match(text):
        following = element.getnext()
        if following is None or not isinstance(following.tag, str):
            return None
        name = _words(following)
    elif found := _LABEL_AND_NAME.match(text):
        name = found.group(1)
    else:
        return None
    return clean_name(name) if _looks_like_a_name(name) else None


def text_byline(tree: HtmlElement) -> str | None:
    """The first element after the headline (the first `<h1>`; menus before it hold
    "By Use Case" and "By Topic") that holds a byline as its whole text; of nested
    ones the tightest ("<div><div>By Jane Doe</div><div>Marketing</div></div>")."""
    h1 = next(tree.iter("h1"), None)
    after_headline = h1 is None
    for element in tree.iter("h1", *_TEXT_TAGS):
        if not after_headline:
            after_headline = element is h1
            continue
        name = _name_in(element)
        if name is None or _in_comments_or_related(element):
            continue
        # The tightest of the element and those inside it that hold a byline.
        nested = [(len(_words(e)), n) for e in element.iterdescendants(*_TEXT_TAGS)
                  if (n := _name_in(e))]
        return min([(len(_words(element)), name), *nested])[1]
    return None


def labelled_byline(tree: HtmlElement) -> str | None:
    return linked_byline(tree) or text_byline(tree)


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
