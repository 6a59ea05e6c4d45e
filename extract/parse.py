"""HTML text to an lxml tree, as trafilatura's `load_html` parses it, made faster.

lxml.html's parser asks a Python method for the class of every element proxy lxml
makes, and trafilatura makes thousands per page as it walks and copies the tree
(about 4,500 on a WCXB page). The parser here answers in C: each element is a plain
`HtmlElement`. What lxml.html would make of form elements (`FormElement`,
`InputElement`, ...) adds form methods that nothing here calls; on the WCXB and
ScrapingHub pages trafilatura's output is the same either way.
"""

from __future__ import annotations

import logging

from lxml.etree import ElementDefaultClassLookup
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

LOGGER = logging.getLogger(__name__)

# trafilatura's parser settings (trafilatura.utils.HTML_PARSER)
PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                    remove_comments=True, remove_pis=True)
PARSER.set_element_class_lookup(ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
    entity=HtmlEntity))


def _fromstring(html: str | bytes) -> HtmlElement | None:
    try:
        return fromstring(html, parser=PARSER)
    # ValueError: a str that declares an XML encoding, parsed as bytes next; lxml's
    # own errors ("Document is empty") mean no tree, as in trafilatura
    except Exception as exc:
        LOGGER.debug("lxml could not parse the page: %s", exc)
        return None


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree, or None when it is not HTML. trafilatura's `load_html` for
    text already decoded: the same repairs, the same retry as bytes, the same test
    that a page without an <html> tag parsed to at least two elements."""
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = _fromstring(html)
    if tree is None or len(tree) < 1:
        tree = _fromstring(html.encode("utf8", "surrogatepass"))
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree
