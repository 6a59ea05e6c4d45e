"""HTML pages through trafilatura: main text, title, date, site, language hints."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from trafilatura.settings import use_config
from trafilatura.utils import load_html

from extract.metadata import page_metadata

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


def extract_html(html: str, url: str | None = None) -> HtmlResult | None:
    tree = load_html(html)
    if tree is None:
        return None
    # The tree is parsed once: bare_extraction works on its own copy of it, and the
    # metadata step, which may prune, gets the original afterwards.
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        config=_CONFIG,
    )
    if doc is None or not (doc.text or "").strip():
        return None
    language = html_language(tree)
    meta = page_metadata(tree, url)
    return HtmlResult(
        text=paragraphs_from_lines(doc.text),
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
