"""Article text in blocks that trafilatura's class-name tokens take for widgets.

trafilatura drops every block whose class mentions "embed" (meant for the social posts
and players a story embeds) or "slide" (slideshows, slide-out menus). Page builders use
the same words for blocks of the article itself: Webflow's custom-HTML `w-embed` holds
a tipping chart, a theme's `embed` section the second half of a review, and a
listicle's `listicle-slides` each item with its heading and paragraphs. Such a block
reads as prose, not as a widget: words enough, few of them in links, a paragraph or a
table, and no form, quoted post or player in it. The word is taken out of its class,
so that trafilatura weighs it like any other block; a real embed or slide (a tweet, a
video and its caption, a carousel of pictures, a row of link cards, a menu, a sign-up
box) keeps its name and is dropped as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import XPath
from lxml.html import HtmlElement

# trafilatura's tests are case-sensitive too ("imageEmbed" is kept).
_NAMED = XPath("//*[contains(@class, 'embed') or contains(@class, 'slide')]")
# The elements trafilatura's class tokens drop (its `OVERALL_DISCARD_XPATH`).
_DROPPED_TAGS = frozenset(("div", "section", "p", "span", "item", "list"))
_NAME = re.compile(r"\S*(embed|slide)\S*")
# What marks a block as a widget or an embedded post, not text: a form, or a quoted
# post or player (a tweet is a <blockquote> and its script, a video an <iframe>).
_NOT_TEXT = ("form", "input", "button", "select", "textarea", "blockquote", "iframe")
# A caption or a card's blurb runs to a line or two.
MIN_WORDS = 30
# A paragraph (or a list item, a cell) this long, in characters of any script; a
# carousel's captions and a menu's entries are shorter.
PARAGRAPH_CHARS = 80
_PARAGRAPHS = ("p", "li", "td", "dd")
# Link cards and embedded post lists are mostly link text.
MAX_LINK_SHARE = 0.3


@dataclass
class Weight:
    """What the text of an element and everything in it amounts to."""

    words: int = 0
    linked: int = 0  # words inside links
    chars: int = 0
    prose: bool = False  # a paragraph, a list item or a cell of PARAGRAPH_CHARS, a table
    widget: bool = False  # a form, a quoted post or a player


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def _chars(text: str | None) -> int:
    return len(text.strip()) if text else 0


def weights(root: HtmlElement) -> dict[HtmlElement, Weight]:
    """The weight of `root` and of every element under it, in one pass from the leaves
    up: a page can nest hundreds of such blocks, and reading each one's text again
    would be quadratic."""
    out: dict[HtmlElement, Weight] = {}
    for element in reversed(list(root.iter())):
        own = element.text if isinstance(element.tag, str) else None  # not a comment's
        weight = Weight(words=_words(own), chars=_chars(own))
        for child in element:
            weight.words += _words(child.tail)
            weight.chars += _chars(child.tail)
            inner = out[child]
            weight.words += inner.words
            weight.linked += inner.linked
            weight.chars += inner.chars
            weight.prose |= inner.prose
            weight.widget |= inner.widget
        if element.tag == "a":
            weight.linked = weight.words
        weight.prose |= element.tag == "table" or (
            element.tag in _PARAGRAPHS and weight.chars >= PARAGRAPH_CHARS)
        weight.widget |= element.tag in _NOT_TEXT
        out[element] = weight
    return out


def reads_as_prose(weight: Weight) -> bool:
    return (weight.words >= MIN_WORDS and not weight.widget and weight.prose
            and weight.linked < MAX_LINK_SHARE * weight.words)


def unmask_blocks(tree: HtmlElement) -> int:
    """Takes "embed" and "slide" out of the class of the blocks named so that read as
    prose (in place); returns how many."""
    named = [e for e in _NAMED(tree) if e.tag in _DROPPED_TAGS]
    if not named:
        return 0
    inside = set(named)
    weighed: dict[HtmlElement, Weight] = {}
    for element in named:
        if not any(a in inside for a in element.iterancestors()):
            weighed.update(weights(element))
    unmasked = 0
    for element in named:
        if not reads_as_prose(weighed[element]):
            continue
        element.set("class", " ".join(_NAME.sub("", element.get("class")).split()))
        unmasked += 1
    return unmasked
