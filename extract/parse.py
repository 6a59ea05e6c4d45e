"""HTML text to an lxml tree, as trafilatura's `load_html` parses it, made faster.

lxml.html's parser asks a Python method for the class of every element proxy lxml
makes, and trafilatura makes thousands per page as it walks and copies the tree
(about 4,500 on a WCXB page). The parser here answers in C: each element is a plain
`HtmlElement`. What lxml.html would make of form elements (`FormElement`,
`InputElement`, ...) adds form methods that nothing here calls; on the WCXB and
ScrapingHub pages trafilatura's output is the same either way.

One repair trafilatura lacks: content after the page's `</html>` is moved into its
body, where a browser shows it (`adopt_trailing_content`).
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


def adopt_trailing_content(tree: HtmlElement) -> int:
    """Moves into the body, in place, what follows the page's `</html>`; returns how
    many elements moved. A template that closes the page early (a header include that
    ends with `</body></html>`, the article after it) leaves libxml2 a second root
    beside the first, which trafilatura never reads: browsers put that content in the
    body, and so does this."""
    body = tree.find("body")
    if body is None:
        return 0
    moved = 0
    for stray in list(tree.itersiblings()):
        if not isinstance(stray.tag, str):
            continue
        parts = [stray] if stray.tag != "html" else [
            part for child in stray if child.tag != "head"
            for part in (list(child) if child.tag == "body" else [child])]
        body.extend(parts)
        moved += len(parts)
    return moved


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
    if tree is not None:
        adopt_trailing_content(tree)
    return tree
