"""An article written as a run of blocks: the blocks trafilatura's choice left out.

Content management systems store an article as rich-text blocks with figures, quotes
and calls to action between them, and some pages wrap only the first in <article>.
trafilatura then settles on one block. The blocks of an article share their markup
(one class), so the class of the elements that hold the paragraphs trafilatura kept
names the others; put together, they are the page to extract from.
"""

from __future__ import annotations

from collections import Counter
from copy import deepcopy

from lxml.html import Element, HtmlElement

# Paragraphs shorter than this are too common (captions, labels) to identify a block.
MIN_PARAGRAPH_CHARS = 40
# A class most of whose elements hold no paragraph is a page builder's, on every
# widget of the page (headers, forms, addresses), not an article's.
MIN_CONTENT_SHARE = 0.5


def _flat(text: str) -> str:
    return " ".join(text.split())


def _paragraph_key(text: str) -> str | None:
    flat = _flat(text)
    return flat[:60] if len(flat) >= MIN_PARAGRAPH_CHARS else None


def _holds_paragraph(element: HtmlElement) -> bool:
    return any(_paragraph_key(p.text_content()) for p in element.iter("p"))


def article_blocks(tree: HtmlElement, text: str, pruned: str | None = None) -> list[HtmlElement]:
    """The blocks of the article whose extracted `text` came from some of them, in page
    order: the elements of the class that most of the kept paragraphs sit in (the
    nearest ancestor with a class), when two or more of them hold paragraphs and they
    are most of that class. Empty when the page is not built that way. Blocks in an
    element carrying the attribute `pruned` (a sidebar using the same class) are not
    the article's."""
    kept = {key for line in text.splitlines() if (key := _paragraph_key(line))}
    classes: Counter[tuple[str, str]] = Counter()
    for p in tree.iter("p"):
        if _paragraph_key(p.text_content()) in kept:
            block = next((a for a in p.iterancestors() if a.get("class")), None)
            if block is not None:
                classes[(block.tag, block.get("class"))] += 1
    if not classes:
        return []
    (tag, cls), _ = classes.most_common(1)[0]
    same = [element for element in tree.iter(tag) if element.get("class") == cls]
    outer = set(same)
    blocks = [b for b in same if not any(a in outer for a in b.iterancestors())]
    content = [b for b in blocks if _holds_paragraph(b) and not (
        pruned and any(e.get(pruned) is not None for e in (b, *b.iterancestors())))]
    if len(content) < 2 or len(content) < MIN_CONTENT_SHARE * len(blocks):
        return []
    return content


def page_of(blocks: list[HtmlElement]) -> HtmlElement:
    """A page holding copies of the blocks, one after the other, as one article."""
    html, body, article = Element("html"), Element("body"), Element("article")
    html.append(body)
    body.append(article)
    for block in blocks:
        part = deepcopy(block)
        part.tail = None
        article.append(part)
    return html
