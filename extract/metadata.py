"""Page metadata (title, author, date, site) from trafilatura's and htmldate's pieces.

`bare_extraction(with_metadata=True)` also collects categories, tags and the licence,
which this project does not store and which cost a fifth of its time; so the parts we
need are called here, in the same order and with the same fallbacks as trafilatura.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass

from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import set_date_params
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from extract import date_locales, date_patterns
from extract.date_locales import date_languages, dates_read_in
from extract.language import declared_language

LOGGER = logging.getLogger(__name__)
_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")

# htmldate's whole-page search runs on the text around digits only, and its last
# resort, dateparser, in the page's declared language (same dates, less time).
date_patterns.install()
date_locales.install()


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    language: str | None = None  # declared, `declared_language`


def page_metadata(tree: HtmlElement, url: str | None, guess_dates: bool = True) -> PageMetadata:
    """Metadata the page declares or dates it carries, read without changing the
    tree. The author is the declared one only: `author_in_page` looks for a byline.
    `guess_dates`: whether htmldate's extensive search may guess a date from the
    page's text (a copyright year, the first date written anywhere) when its markup,
    URL and time elements give none. Not when the page's feed gave a date: the
    publisher's own word is better than a guess."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single token is a handle or a site, not a byline
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:  # trafilatura's JSON-LD reader trips on odd markup
        LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    title = meta.title or extract_title(tree)
    page_url = meta.url or extract_url(tree, url)
    # htmldate's extensive search (trafilatura's default), though its dates beyond
    # the fast search's are mostly wrong on the WCXB pages (34 right, 91 wrong) and it
    # costs 3 ms of its 4: with the fast search, 120 more articles were undated, and
    # undated articles join any event window, so pages on one subject (music lessons,
    # catering) merged into events; pair precision of the pipeline benchmark's events
    # against its stories fell from 0.83 to 0.49.
    language = declared_language(tree)
    with dates_read_in(date_languages(language)):
        date = find_date(tree, url=page_url, **set_date_params(guess_dates))
    sitename = meta.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif page_url and (m := _SITE_FROM_URL.match(page_url)):
        sitename = m.group(1)
    return PageMetadata(title=title or None, author=meta.author or None, date=date or None,
                        sitename=sitename or None, language=language)


# trafilatura's author search prunes the whole tree with its discard XPaths and then
# runs its author XPaths over all of it; their regex tests call back into Python for
# every element, 4 ms a page. Each of those XPaths tests an element on its own tag and
# attributes only, so the same search is run here on the few elements that can match
# (those with a byline word in one of the attributes the XPaths read, an <author>, or
# one with a <rel> child), each XPath rewritten to test its context element
# (`//*[...]` as `self::*[...]`). Same answer as trafilatura on every WCXB and
# ScrapingHub page, at a third of the time; tests/extract/test_metadata.py holds both
# the words and the rewriting to the XPaths trafilatura ships.
_BYLINE_NODES = XPath("//@class|//@id|//@itemprop|//@rel|//@data-testid|//@data-component"
                      "|//author|//*[rel]")
_BYLINE_WORDS = re.compile(
    "author|Author|byl|Byline|BBL|username|zuozhe|bianji|xiaobian|channel-name|"
    "submitted-by|posted-by|journalist-name|screenname|writer")
_EXSLT_REGEX = {"re": "http://exslt.org/regular-expressions"}
_DESCENDANT_STEP = re.compile(r"\.?//(\*|\w+)")


def union_branches(path: str) -> list[str]:
    """The branches of an XPath union: split at each `|` outside brackets and quotes."""
    branches, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(path):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(path[start:i].strip())
            start = i + 1
    return [*branches, path[start:].strip()]


def on_context_element(expression: XPath) -> XPath:
    """`//x[...]|//y` as `self::x[...]|self::y`: true of an element when the
    expression, run on its document, would select it. Only for expressions whose
    predicates test the element itself (its tag, attributes, children)."""
    rewritten = []
    for branch in union_branches(expression.path):
        step = _DESCENDANT_STEP.match(branch)
        if step is None or "//" in branch[step.end():]:
            raise ValueError(f"not a union of single // steps: {expression.path}")
        rewritten.append(f"self::{step.group(1)}{branch[step.end():]}")
    return XPath("|".join(rewritten), namespaces=_EXSLT_REGEX)


_AUTHOR_TESTS = [on_context_element(x) for x in AUTHOR_XPATHS]
_DISCARD_TESTS = [on_context_element(x) for x in AUTHOR_DISCARD_XPATHS]


def byline_candidates(tree: HtmlElement) -> list[HtmlElement]:
    """In document order, every element trafilatura's author XPaths could select."""
    found: dict[HtmlElement, None] = {}
    for node in _BYLINE_NODES(tree):
        if not isinstance(node, str):
            found.setdefault(node, None)
        elif _BYLINE_WORDS.search(node):
            found.setdefault(node.getparent(), None)
    return list(found)


def _discarded(element: HtmlElement) -> bool:
    return any(test(node) for node in (element, *element.iterancestors())
               for test in _DISCARD_TESTS)


# A reader's name in the comments under the story ("sf_comment_author"): trafilatura's
# discard XPaths know only a few comment containers by their exact class.
_COMMENTS = re.compile(r"comment", re.I)


def in_comments(element: HtmlElement) -> bool:
    """Whether the element, or one around it, is named for comments."""
    return any(_COMMENTS.search(node.get("class") or "") or _COMMENTS.search(node.get("id") or "")
               for node in (element, *element.iterancestors()))


def author_in_page(tree: HtmlElement,
                   skip: Callable[[HtmlElement], bool] = lambda element: False) -> str | None:
    """A byline found in the page's markup: what trafilatura's extract_author finds
    (the first element its author XPaths select, in their order, once the parts it
    discards are pruned, with 3 to 119 characters of text), without changing the tree;
    candidates `skip` is true of are passed over (`in_comments`: a reader's name)."""
    # Each candidate as trafilatura sees it: pruned inside (the tails of what is pruned
    # stay), since `rel='me'` reads a child's text and the text is what is returned.
    # An element without children has nothing inside to prune.
    pruned = [prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
              if len(element) else element
              for element in byline_candidates(tree)
              if not _discarded(element) and not skip(element)]
    for test in _AUTHOR_TESTS:
        for element in pruned:
            if test(element):
                content = trim(" ".join(element.itertext()))
                if content and 2 < len(content) < 120:
                    return normalize_authors(None, content)
    return None
