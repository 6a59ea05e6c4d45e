"""HTML pages through trafilatura: main text, title, date, site, language hints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import trafilatura
from lxml.etree import XPath, strip_elements, tostring
from lxml.html import HtmlElement
from trafilatura.settings import use_config

from extract import attribute_xpaths, readability_gate, wild_text
from extract.blocks import article_blocks, page_of
from extract.byline import clean_author
from extract.chrome import RELATED, TEASER, furniture
from extract.headline import h1_texts, headline
from extract.labelled_bylines import labelled_byline
from extract.masked import unmask_blocks
from extract.metadata import author_in_page, in_comments, page_metadata
from extract.parse import parse_html
from extract.repeats import without_repeated_runs
from extract.trailing import (
    LINKED_MIN_WORDS,
    link_key,
    without_author_bio,
    without_end_matter,
    without_leading_chrome,
    without_linked_tail,
)
from extract.words import count_words

# trafilatura skips its readability comparison where readability cannot win.
readability_gate.install()
# trafilatura's recovery of loose text, when it finds no article frame, takes the
# article's lists and headings too.
wild_text.install()
# trafilatura's tests of class and id run as Python, not as XPath calling back into it.
attribute_xpaths.install()


@contextmanager
def plain_trafilatura() -> Iterator[None]:
    """trafilatura as it ships, for the duration: what is installed above is
    trafilatura's own again. The benchmarks time and score plain trafilatura in
    processes that imported this module; without this, "plain" ran with our
    readability gate."""
    with (readability_gate.trafilaturas_own(), wild_text.trafilaturas_own(),
          attribute_xpaths.trafilaturas_own()):
        yield


# trafilatura's default config has a 30 s signal-based timeout that only works on the
# main thread; the flow runs extraction in worker threads, so it is turned off here.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

_CANONICAL = re.compile(
    r"""<link[^>]+rel=["']?canonical["']?[^>]*>""", re.I
)
_HREF = re.compile(r"""href=["']?([^"'\s>]+)""", re.I)


@dataclass(frozen=True)
class HtmlResult:
    text: str
    title: str | None
    author: str | None
    date: str | None
    sitename: str | None
    language: str | None
    canonical_url: str | None


def looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return any(tag in head for tag in ("<html", "<!doctype html", "<body", "<head", "<p>", "<div"))


def canonical_url(html: str) -> str | None:
    m = _CANONICAL.search(html[:200_000])
    if m and (href := _HREF.search(m.group(0))):
        url = href.group(1)
        return url if url.startswith(("http://", "https://")) else None
    return None


def story_paragraphs(text: str, author: str | None = None,
                     tree: HtmlElement | None = None) -> list[str]:
    """trafilatura puts one paragraph per line; the warehouse wants them apart. A
    paragraph that is another story's teaser ("READ MORE: ...") is left out, and so are
    the end matter under the story, other stories' linked headlines closing it (links
    of the page's `tree`), the writer's biography and chrome lines above it
    (`extract.trailing`), and page furniture inside it (a table of contents' heading,
    the reading time)."""
    lines = (line.strip() for line in text.splitlines())
    paragraphs = [line for line in lines if line and not TEASER.match(line)]
    paragraphs = without_end_matter(without_repeated_runs(paragraphs))
    # (the page's links are gathered only where the last paragraph may open with one)
    if tree is not None and paragraphs and _LINK_OPENS(tree, start=_opening(paragraphs[-1])):
        paragraphs = without_linked_tail(paragraphs, link_texts(tree))
    paragraphs = without_author_bio(paragraphs, author)
    paragraphs = without_leading_chrome(paragraphs)
    # (after the end matter is cut: a label there may be what marks where it starts)
    return [p for p in paragraphs if not furniture(p)]


_WORD = re.compile(r"\w+")


def without_title(text: str, title: str | None) -> str:
    """The body without a first paragraph that is the page's headline: the title is
    metadata, not body (ScrapingHub's and WCXB's gold bodies leave it out). The
    metadata title may carry the site's name after it ("Headline | Site")."""
    first, _, rest = text.partition("\n\n")
    head = _WORD.findall(first.lower())
    words = _WORD.findall((title or "").lower())
    # (a prefix of three words at least; in Chinese or Japanese a run of characters is
    # one \w+ token, and its characters are the words)
    if rest and head and (head == words or (count_words(first) >= 3
                                            and words[: len(head)] == head)):
        return rest
    return text


# An extraction that keeps less than this share of the page's visible text is tried
# again in trafilatura's recall mode, and the retry is kept when it finds at least
# `RECALL_RETRY_GAIN` times the text: the default mode sometimes settles on one block
# of a long article (a lead, a single section) or on nothing. Below the share only, so
# the retry costs a few percent of the pages, not a second extraction of each; and a
# retry that finds a little more is not taken, as the first choice was usually right.
# Shares are of characters other than spaces, which measure every script alike.
RECALL_RETRY_SHARE = 0.2
RECALL_RETRY_GAIN = 2.0
# trafilatura's last resort, when its main pass finds no article frame, is a dump: the
# text of the page's <article>, of its JSON-LD articleBody or of its whole body, as one
# run with the paragraph breaks gone and the menus and bylines in. A dump is retried in
# recall mode, whose wider search often finds the article's own paragraphs, and the
# retry is kept when it has its paragraph breaks and most of the dump's text (a dump's
# chrome is seldom a third of it; a retry that lost more lost part of the story).
# (WCXB dev +0.0004: 6 pages better, none worse; with a floor of half, one page
# lost 0.07.)
DUMP_MIN_CHARS = 1500
DUMP_RETRY_KEEPS = 0.7
# An extraction under half of the page's text may be one block of an article written
# as several (extract/blocks.py); the blocks together are taken when they give half as
# much again. (WCXB dev 0.941 -> 0.944, ScrapingHub recall 0.979 -> 0.986; 9 of 974
# pages change, one of them for the worse.)
BLOCKS_TRIED_BELOW_SHARE = 0.5
BLOCKS_MIN_GAIN = 1.5

# Elements that never hold article text. trafilatura drops them too, but only after
# copying the whole tree for each of its stages, and SVG drawings and inline styles
# and scripts are often most of a page's nodes. JSON-LD stays: trafilatura's last
# resort reads an `articleBody` from it.
_NON_CONTENT = ("style", "noscript", "svg", "template")
_SCRIPTS = XPath("//script[not(contains(@type, 'ld+json'))]")
# Menus, footers and asides: trafilatura's cleaning drops them from its main pass, but
# its fallbacks (readability, the baseline) read the raw tree and now and then return
# a menu. One that holds over half of the page's text is broken markup instead (an
# unclosed <nav> swallows the article after it), and stays. They are marked, and
# trafilatura prunes them from its own copy: the byline search still sees them
# (author boxes sit in asides and footers).
_CHROME = ("nav", "footer", "aside")
CHROME_MAX_SHARE = 0.5
_CHROME_MARK = "data-newsdedup-chrome"
MARKED_CHROME = f"//*[@{_CHROME_MARK}]"


_LINK_OPENS = XPath("boolean(//a[starts-with(normalize-space(.), $start)])")
_BULLET = re.compile(r"^[-•*]\s*")


def _opening(paragraph: str) -> str:
    return " ".join(_BULLET.sub("", paragraph).split())[:12]


def link_texts(tree: HtmlElement) -> frozenset[str]:
    """The texts of the page's links of a few words (`link_key`): what a box of other
    stories' headlines is made of."""
    keys = (link_key(a.text_content()) for a in tree.iter("a"))
    return frozenset(k for k in keys if count_words(k) >= LINKED_MIN_WORDS)


def drop_non_content(tree: HtmlElement) -> None:
    """Removes, in place, what never holds text; the text after each stays."""
    strip_elements(tree, *_NON_CONTENT, with_tail=False)
    for script in _SCRIPTS(tree):
        script.drop_tree()


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def related_boxes(tree: HtmlElement) -> list[HtmlElement]:
    """Boxes of other stories: elements whose first child is a related-stories header
    ("You may also like...", "Você pode gostar...", "اقرأ أيضا") and that hold the
    stories as items (their own articles, list items, blocks), neither paragraphs of
    their own nor the page's headline: a box left open by broken markup would have
    swallowed the article."""
    above_headline = {a for h1 in tree.iter("h1") for a in h1.iterancestors()}
    boxes = []
    for heading in tree.iter(*_HEADINGS):
        box = heading.getparent()
        if box is None or box.tag in ("body", "html") or box in above_headline:
            continue
        first = next((c for c in box if isinstance(c.tag, str)), None)
        if (first is heading and not any(child.tag == "p" for child in box)
                and RELATED.match(" ".join(heading.text_content().split()))):
            boxes.append(box)
    return boxes


def mark_chrome(tree: HtmlElement, visible: int) -> int:
    """Marks the menus, footers and asides that hold under half of the page's
    `visible` text, and the boxes of other stories under a related-stories header
    whatever their size (a short story's page can carry more of other stories' text
    than of its own), `MARKED_CHROME` finds them; returns how many. Only the outermost
    are weighed: each weighing reads the element's whole text, and a hostile page
    nests hundreds of them around its body (30 s for one of 6 MB)."""
    chrome = [element for element in tree.iter(*_CHROME)
              if not any(a.tag in _CHROME for a in element.iterancestors())]
    boxes = related_boxes(tree)
    if not chrome and not boxes:
        return 0
    limit = CHROME_MAX_SHARE * visible
    marked = [element for element in chrome if _size(element) <= limit]
    marked += boxes
    for element in marked:
        element.set(_CHROME_MARK, "")
    return len(marked)


def text_size(text: str) -> int:
    return len("".join(text.split()))


def _size(element: HtmlElement) -> int:
    return text_size(tostring(element, method="text", encoding=str))


def visible_size(tree: HtmlElement) -> int:
    """Characters of the body's text, JSON-LD aside; on a tree `drop_non_content` has
    cleaned, that is what a reader sees."""
    body = tree.find("body")
    if body is None:
        return 0
    data = "".join(script.text or "" for script in body.iter("script"))
    return _size(body) - text_size(data)


def flattened(text: str) -> bool:
    """Whether an extraction is one long run without paragraph breaks: a dump."""
    return len(text) >= DUMP_MIN_CHARS and "\n" not in text


def main_text(tree: HtmlElement, url: str | None, prune: str | None = None,
              visible: int | None = None) -> str:
    """The main text by trafilatura; retried in recall mode when it is a dump
    (`flattened`) or kept little of the page's `visible` text (`visible_size`), and
    taken from the article's blocks together when it kept one of several. trafilatura
    works on its own copy of the tree, pruned by the XPath `prune`."""
    def run(page: HtmlElement, **mode) -> str:
        doc = trafilatura.bare_extraction(page, url=url, include_comments=False,
                                          prune_xpath=prune, config=_CONFIG, **mode)
        return (doc.text or "").strip() if doc is not None else ""

    text = run(tree)
    found = text_size(text)
    if visible is None:
        visible = visible_size(tree)
    if flattened(text):
        retry = run(tree, favor_recall=True)
        if not flattened(retry) and text_size(retry) >= DUMP_RETRY_KEEPS * found:
            text, found = retry, text_size(retry)
    elif found < RECALL_RETRY_SHARE * visible:
        retry = run(tree, favor_recall=True)
        if text_size(retry) >= RECALL_RETRY_GAIN * max(found, 1):
            text, found = retry, text_size(retry)
    blocks = (article_blocks(tree, text, pruned=_CHROME_MARK)
              if found < BLOCKS_TRIED_BELOW_SHARE * visible else [])
    if blocks:
        joined = run(page_of(blocks))
        if text_size(joined) >= BLOCKS_MIN_GAIN * max(found, 1):
            return joined
    return text


def extract_html(html: str, url: str | None = None, guess_dates: bool = True
                 ) -> HtmlResult | None:
    """`guess_dates`: see `page_metadata`."""
    tree = parse_html(html)
    if tree is None:
        return None
    # The tree is parsed and cleaned once; the extraction works on copies of it.
    # Dates are looked for without scripts (right on 0.851 of WCXB pages, 0.847 with them).
    drop_non_content(tree)
    meta = page_metadata(tree, url, guess_dates)
    visible = visible_size(tree)
    chrome = mark_chrome(tree, visible)
    unmask_blocks(tree)
    text = main_text(tree, url, prune=MARKED_CHROME if chrome else None, visible=visible)
    if not text:
        return None
    title = headline(meta.title, h1_texts(tree), meta.sitename, url)
    # Each byline cleaned before the next is looked for: a byline element may hold only
    # its label ("View more posts"), and the author's link is elsewhere.
    author = (clean_author(meta.author) or clean_author(author_in_page(tree, skip=in_comments))
              or labelled_byline(tree))
    return HtmlResult(
        text=without_title("\n\n".join(story_paragraphs(text, author, tree)), title),
        title=title,
        author=author,
        date=meta.date,
        sitename=meta.sitename,
        language=meta.language,
        canonical_url=canonical_url(html),
    )
