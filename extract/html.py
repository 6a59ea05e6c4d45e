"""HTML pages through trafilatura: main text, title, date, site, language hints."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.settings import use_config
from trafilatura.utils import load_html

from extract.metadata import page_metadata
from extract.words import count_words

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


def paragraphs_from_lines(text: str) -> str:
    """trafilatura puts one paragraph per line; the warehouse wants blank lines between."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


_WORD = re.compile(r"\w+")


def without_title(text: str, title: str | None) -> str:
    """The body without a first paragraph that is the page's headline: the title is
    metadata, not body (ScrapingHub's and WCXB's gold bodies leave it out). The
    metadata title may carry the site's name after it ("Headline | Site")."""
    first, _, rest = text.partition("\n\n")
    head = _WORD.findall(first.lower())
    words = _WORD.findall((title or "").lower())
    if rest and head and (head == words or (len(head) >= 3 and words[: len(head)] == head)):
        return rest
    return text


# An extraction that keeps less than this share of the page's visible words is tried
# again in trafilatura's recall mode, and the retry is kept when it finds at least
# `RECALL_RETRY_GAIN` times the words: the default mode sometimes settles on one block
# of a long article (a lead, a single section) or on nothing. Below the share only, so
# the retry costs a few percent of the pages, not a second extraction of each; and a
# retry that finds a little more is not taken, as the first choice was usually right.
RECALL_RETRY_SHARE = 0.2
RECALL_RETRY_GAIN = 2.0
_VISIBLE_TEXT = XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")


def visible_words(tree: HtmlElement) -> int:
    return count_words(" ".join(_VISIBLE_TEXT(tree)))


def main_text(tree: HtmlElement, url: str | None) -> str:
    """The main text by trafilatura, retried in recall mode when it kept little of the
    page; trafilatura works on its own copy of the tree."""
    def run(**mode) -> str:
        doc = trafilatura.bare_extraction(tree, url=url, include_comments=False,
                                          config=_CONFIG, **mode)
        return (doc.text or "").strip() if doc is not None else ""

    text = run()
    found = count_words(text)
    if found < RECALL_RETRY_SHARE * visible_words(tree):
        retry = run(favor_recall=True)
        if count_words(retry) >= RECALL_RETRY_GAIN * max(found, 1):
            return retry
    return text


def extract_html(html: str, url: str | None = None) -> HtmlResult | None:
    tree = load_html(html)
    if tree is None:
        return None
    # The tree is parsed once: the extraction works on copies of it, and the metadata
    # step, which may prune, gets the original afterwards.
    text = main_text(tree, url)
    if not text:
        return None
    language = html_language(tree)
    meta = page_metadata(tree, url)
    return HtmlResult(
        text=without_title(paragraphs_from_lines(text), meta.title),
        title=meta.title,
        author=meta.author,
        date=meta.date,
        sitename=meta.sitename,
        language=language,
        canonical_url=canonical_url(html),
    )


def html_language(tree) -> str | None:
    """The page's declared language (`<html lang="ar-EG">` gives "ar"), a fallback only."""
    declared = (tree.get("lang") or "").strip().lower()
    return declared.split("-")[0][:3] or None
