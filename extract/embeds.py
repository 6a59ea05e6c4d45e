"""Article text that a page builder wraps in an "embed" block.

trafilatura drops every block whose class mentions "embed", meant for the
social posts and players a story embeds. Page builders use the same word for their
custom-HTML blocks (Webflow's `w-embed`, a theme's `embed` section), and there it
wraps the article's own tables, lists and paragraphs: a tipping chart, a mover's
profile, the second half of a review. Such a block reads as text, not as a widget: it
has words enough, few of them in links, and no form, quoted post or player in it. Its
"embed" name is taken off, so that trafilatura weighs it like any other block; a real
embed (a tweet, a video and its caption, a row of link cards, a sign-up box) keeps its
name and is dropped as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import XPath
from lxml.html import HtmlElement

# trafilatura's test is case-sensitive too ("imageEmbed" is kept).
_NAMED_EMBED = XPath("//*[contains(@class, 'embed')]")
# The elements trafilatura's class tokens drop (its `OVERALL_DISCARD_XPATH`).
_DROPPED_TAGS = frozenset(("div", "section", "p", "span", "item", "list"))
_EMBED_NAME = re.compile(r"\S*embed\S*")
# What marks a block as a widget or an embedded post, not text: a form, or a quoted
# post or player (a tweet is a <blockquote> and its script, a video an <iframe>).
_NOT_TEXT = ("form", "input", "button", "select", "textarea", "blockquote", "iframe")
# A caption or a card's blurb runs to a line or two.
MIN_WORDS = 30
# Link cards and embedded post lists are mostly link text.
MAX_LINK_SHARE = 0.3


@dataclass
class Weight:
    words: int = 0
    linked: int = 0
    widget: bool = False


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def weights(root: HtmlElement) -> dict[HtmlElement, Weight]:
    """Words, words in links and whether a form or a post is inside, for `root` and every
    element under it, in one pass from the leaves up: a page can nest hundreds of
    embeds, and reading each one's text again would be quadratic."""
    out: dict[HtmlElement, Weight] = {}
    for element in reversed(list(root.iter())):
        weight = Weight(_words(element.text) if isinstance(element.tag, str) else 0)
        for child in element:
            inner = out.get(child)
            tail = _words(child.tail)
            weight.words += tail + (inner.words if inner else 0)
            if inner:
                weight.linked += inner.linked
                weight.widget |= inner.widget
        if element.tag == "a":
            weight.linked = weight.words
        weight.widget |= element.tag in _NOT_TEXT
        out[element] = weight
    return out


def reads_as_text(weight: Weight) -> bool:
    return (weight.words >= MIN_WORDS and not weight.widget
            and weight.linked < MAX_LINK_SHARE * weight.words)


def unmask_embeds(tree: HtmlElement) -> int:
    """Takes "embed" out of the class of the blocks named so that read as text
    (in place); returns how many."""
    named = [e for e in _NAMED_EMBED(tree) if e.tag in _DROPPED_TAGS]
    if not named:
        return 0
    inside = set(named)
    weighed: dict[HtmlElement, Weight] = {}
    for element in named:
        if not any(a in inside for a in element.iterancestors()):
            weighed.update(weights(element))
    unmasked = 0
    for element in named:
        if not reads_as_text(weighed[element]):
            continue
        element.set("class", " ".join(_EMBED_NAME.sub("", element.get("class")).split()))
        unmasked += 1
    return unmasked
