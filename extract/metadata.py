"""Page metadata (title, author, date, site) from trafilatura's and htmldate's pieces.

`bare_extraction(with_metadata=True)` also collects categories, tags and the licence,
which this project does not store and which cost a fifth of its time; so the parts we
need are called here, in the same order and with the same fallbacks as trafilatura.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from htmldate import find_date
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_metainfo,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import set_date_params
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

LOGGER = logging.getLogger(__name__)
_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


@dataclass(frozen=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None


def page_metadata(tree: HtmlElement, url: str | None) -> PageMetadata:
    """Metadata the page declares or dates it carries, read without changing the
    tree. The author is the declared one only: `author_in_page` looks for a byline,
    and prunes the tree to do so."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single token is a handle or a site, not a byline
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:  # trafilatura's JSON-LD reader trips on odd markup
        LOGGER.debug("JSON-LD metadata unreadable: %s", exc)
    title = meta.title or extract_title(tree)
    page_url = meta.url or extract_url(tree, url)
    date = find_date(tree, url=page_url, **set_date_params(True))
    sitename = meta.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif page_url and (m := _SITE_FROM_URL.match(page_url)):
        sitename = m.group(1)
    return PageMetadata(title=title or None, author=meta.author or None, date=date or None,
                        sitename=sitename or None)


# trafilatura's author XPaths only match an element with one of these words in its
# class, id, itemprop, rel, data-testid or data-component attribute, or an <author> or
# <rel> element. Looking for them in the attribute values costs a tenth of the XPath
# scans and the pruning (7 ms a page), which half of all pages need not pay.
# tests/extract/test_metadata.py holds this to the XPaths trafilatura ships.
_BYLINE_ATTRIBUTES = XPath(
    "//@class|//@id|//@itemprop|//@rel|//@data-testid|//@data-component", smart_strings=False)
_BYLINE_ELEMENTS = XPath("boolean(//author|//rel)")
_BYLINE_WORDS = re.compile(
    "author|Author|byl|Byline|BBL|username|zuozhe|bianji|xiaobian|channel-name|"
    "submitted-by|posted-by|journalist-name|screenname|writer")


def may_have_byline(tree: HtmlElement) -> bool:
    """False only when trafilatura's author XPaths cannot match anything in the tree."""
    return bool(_BYLINE_ELEMENTS(tree)) or bool(
        _BYLINE_WORDS.search("\n".join(_BYLINE_ATTRIBUTES(tree))))


def author_in_page(tree: HtmlElement) -> str | None:
    """A byline found in the page's markup. trafilatura's extract_author without its
    deep copy: it prunes the tree in place, so call it last, on a tree nothing needs
    afterwards."""
    if not may_have_byline(tree):
        return None
    author = extract_metainfo(prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS),
                              AUTHOR_XPATHS, len_limit=120)
    return normalize_authors(None, author) if author else None
