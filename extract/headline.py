"""The article's headline, as a reader sees it above the text.

What a page declares (og:title, JSON-LD, <title>) is often written for search
engines and social cards: the site's name after a bar ("Headline | Site"), or another
wording of the headline altogether. The page's <h1> is the headline the reader sees,
but pages also use <h1> for their logo, a section name or another story. So the <h1> is
taken when it shares enough words with the declared title (the best-matching one, when
there are several), and otherwise the declared title without the site's name at either
end.
"""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

from extract.urls import host_of

_WORD = re.compile(r"\w+")
# Separators sites put between a headline and their name; not ":" (headlines use it
# for their own subtitle) and only with spaces around, so "COVID-19" stays whole.
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|·|»|«|::)\s+")
# An <h1> shorter than this is a logo or a label, not a headline.
MIN_HEADLINE_WORDS = 2
# At most this many <h1>s are weighed (a page of cards may have hundreds).
MAX_H1 = 10
# The share of their words (Jaccard) an <h1> and the declared title must have in common
# for the <h1> to be taken: two function words ("the", "for") between a story's title
# and another story's <h1> are no match. WCXB title exact: 0.8335 at any share, 0.8348
# at a tenth, 0.830 at a fifth (other wordings of the headline share fewer).
MIN_H1_OVERLAP = 0.1


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _words(text: str) -> set[str]:
    return set(_WORD.findall(_normal(text)))


def _is_site(segment: str, sitename: str | None, host: str) -> bool:
    """Whether a piece of a title names the site: its name, or its host name."""
    seg = _normal(segment)
    compact = re.sub(r"[\W_]+", "", seg)
    if not compact:
        return False
    site = _normal(sitename or "")
    if site and (seg == site or seg in site or site in seg):
        return True
    name = _domain_name(host)
    return bool(host) and (compact in re.sub(r"[\W_]+", "", host)
                           or (len(name) >= 4 and name in compact))


# Second-level labels under which a country's sites register ("bbc.co.uk").
_REGISTRY_LABELS = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"}


def _domain_name(host: str) -> str:
    """The site's own label of a host name: "aljazeera" of "www.aljazeera.net",
    "bbc" of "news.bbc.co.uk"; not a subdomain such as "news"."""
    labels = host.lower().split(".")
    if len(labels) >= 3 and labels[-2] in _REGISTRY_LABELS:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


def without_site_name(title: str, sitename: str | None, url: str | None) -> str:
    """`title` without a first or last part, between separators, that names the site."""
    separators = list(_SEPARATOR.finditer(title))
    if not separators:
        return title
    host = host_of(url) or ""
    first, last = title[: separators[0].start()], title[separators[-1].end():]
    if _is_site(last, sitename, host):
        return title[: separators[-1].start()].strip()
    if _is_site(first, sitename, host):
        return title[separators[0].end():].strip()
    return title


def h1_texts(tree: HtmlElement) -> list[str]:
    out = []
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        if text:
            out.append(text)
        if len(out) == MAX_H1:
            break
    return out


def headline(declared: str | None, h1s: list[str], sitename: str | None,
             url: str | None) -> str | None:
    """The headline, from the declared title and the page's <h1> texts."""
    site = _normal(sitename or "")
    candidates = [h for h in h1s
                  if len(_WORD.findall(h)) >= MIN_HEADLINE_WORDS and _normal(h) != site]
    if not declared:
        return candidates[0] if candidates else None
    title_words = _words(declared)

    def overlap(h: str) -> float:
        words = _words(h)
        return len(words & title_words) / len(words | title_words)

    best = max(candidates, key=overlap, default=None)
    if best is not None and overlap(best) >= MIN_H1_OVERLAP:
        return best
    return without_site_name(declared, sitename, url)
