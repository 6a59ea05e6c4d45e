"""HTML text to an lxml tree, as trafilatura's `load_html` parses it, made faster.

lxml.html's parser asks a Python method for the class of every element proxy lxml
makes, and trafilatura makes thousands per page as it walks and copies the tree
(about 4,500 on a WCXB page). The parser here answers in C: each element is a plain
`HtmlElement`. What lxml.html would make of form elements (`FormElement`,
`InputElement`, ...) adds form methods that nothing here calls; on the WCXB and
ScrapingHub pages trafilatura's output is the same either way.

Two repairs trafilatura lacks: content after the page's `</html>` is moved into its
body, where a browser shows it (`adopt_trailing_content`); and content nested deeper
than libxml2's limit is kept, as a browser keeps it (`flatten_below`).
"""

from __future__ import annotations

import logging

from lxml.etree import ElementDefaultClassLookup, ErrorTypes, iterwalk
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

def _parser(huge_tree: bool) -> HTMLParser:
    # trafilatura's parser settings (trafilatura.utils.HTML_PARSER)
    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                        remove_comments=True, remove_pis=True, huge_tree=huge_tree)
    parser.set_element_class_lookup(ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
        entity=HtmlEntity))
    return parser


PARSER = _parser(huge_tree=False)
# libxml2 drops, without a word, whatever stands deeper than 255 elements, and broken
# markup gets there on real pages: an unclosed <font> before each of 400 paragraphs left
# trafilatura the first 127. A page that hits the limit is parsed again with the
# 2,048 levels `huge_tree` allows, and what lies deeper than `MAX_DEPTH` is flattened,
# as browsers do past their own limit (Chromium's is 512). Flattened that high because
# the extraction's tests over nested elements grow with depth times text: a 2.6 MB page
# of 2,040 nested divs took 37 s unflattened, 7.6 s flattened at 255, 2.6 s at 64 (0.7 s
# before, keeping an eighth of it). The 974 bench pages nest 18 deep (median), 56 at
# most, and none hits libxml2's limit.
DEEP_PARSER = _parser(huge_tree=True)
MAX_DEPTH = 64


def _hit_depth_limit(parser: HTMLParser) -> bool:
    return any(e.type == ErrorTypes.ERR_RESOURCE_LIMIT
               for e in parser.error_log.filter_from_fatals())


def flatten_below(tree: HtmlElement, depth: int = MAX_DEPTH) -> int:
    """Makes, in place, every element nested deeper than `depth` levels below the root a
    child of its ancestor at that depth, in document order, with the text after each
    closing tag kept in its place; returns how many elements moved."""
    moved = 0
    level, floor = 0, []
    for event, element in iterwalk(tree, events=("start", "end")):
        if event == "start":
            level += 1
            if level == depth and len(element):
                floor.append(element)
        else:
            level -= 1
    for parent in floor:
        nodes, last, open_ = [], {}, []
        for event, node in iterwalk(parent, events=("start", "end")):
            if node is parent:
                continue
            if event == "start":
                open_.append(len(nodes))
                nodes.append(node)
            else:
                last[open_.pop()] = len(nodes) - 1
        tails = [node.tail or "" for node in nodes]
        # The text after an element's closing tag follows its last descendant's, the
        # innermost element's first.
        for i in range(len(nodes) - 1, -1, -1):
            if last[i] != i:
                tails[last[i]] += tails[i]
                tails[i] = ""
        for node in nodes:
            if node.getparent() is not parent:
                moved += 1
        for node, tail in zip(nodes, tails, strict=True):
            node.tail = tail or None
            parent.append(node)  # moves it, its children with it: they come next
    return moved


def _fromstring(html: str | bytes) -> HtmlElement | None:
    try:
        tree = fromstring(html, parser=PARSER)
        if _hit_depth_limit(PARSER):
            tree = fromstring(html, parser=DEEP_PARSER)
            flatten_below(tree)
        return tree
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
