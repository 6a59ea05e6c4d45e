"""Pages listed by RSS/Atom/JSON feeds and XML/text sitemaps, with the date each gives.

trafilatura's own helpers (`feeds.extract_links`, `sitemaps.SitemapObject`) filter
links through courlan, which drops IP and localhost hosts and applies language and
domain heuristics meant for open crawling; a user's configured feed should give all
its entries. So the formats are read here, with lxml's safe parser (no entities, no
network), following the same rules: RSS `item/link` (or a permalink `guid`), Atom
`entry/link` (alternate or unqualified), JSON Feed `items[].url`; sitemaps' `urlset`
pages and `sitemapindex` children, or one URL per line.

Each page keeps the publication date its listing states (RSS `pubDate` or `dc:date`,
Atom `published` or else `updated`, JSON Feed `date_published` or else
`date_modified`, a news sitemap's `news:publication_date`): the publisher's own word.
Extraction takes it when the page declares no date itself, in preference to a date
guessed from the page's text (`extract.page`). An undated article has no time window
and may join any event on its subject; a page's markup often carries no
machine-readable date where its feed entry does. A sitemap's `lastmod` is not taken
for a publication date: it is the last change of a page that may be years old, and a
sitemap lists a whole site, where a feed lists what is new. It says whether a stored
page changed since it was read, with Atom's `updated` and JSON Feed's `date_modified`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree

MAX_LINKS = 100_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
# Dates outside these are typos or placeholders (0001-01-01, 2099-12-31), not news.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=2)  # time zones written wrong put a fresh entry hours ahead


@dataclass(frozen=True)
class Listed:
    """A page a feed or sitemap names, and the dates it gives (UTC)."""

    url: str
    published_at: datetime | None = None
    # When the listing says the page last changed (Atom `updated`, JSON Feed
    # `date_modified`, a sitemap's `lastmod`): whether a stored page is asked for again
    # (`flows.sources.revisits`).
    modified_at: datetime | None = None

    @property
    def changed_at(self) -> datetime | None:
        return self.modified_at or self.published_at


def listed_date(value: str | None, now: datetime | None = None) -> datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, JSON Feed, sitemaps) date as UTC; None when
    it is neither or is not a plausible publication date. A date without a time zone
    is taken as UTC."""
    if not isinstance(value, str) or not (value := value.strip()):
        return None
    try:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):  # not a date, or year 1 - 5h
        return None
    if not EARLIEST <= parsed <= (now or datetime.now(UTC)) + AHEAD:
        return None
    return parsed


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _listed(entries, base_url: str) -> list[Listed]:
    """(link, published, modified) entries, http(s) only, made absolute, each URL once
    (with its first dates)."""
    out, seen = [], set()
    for link, published, modified in entries:
        if not isinstance(link, str) or not link:  # (a JSON feed can hold anything)
            continue
        try:
            url = urljoin(base_url, link.strip())
        except ValueError:  # "http://[::1": one bad link, not the whole listing
            continue
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            out.append(Listed(url, listed_date(published), listed_date(modified)))
        if len(out) >= MAX_LINKS:
            break
    return out


def _xml(body: bytes):
    try:
        return etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _child_text(element, *names: str) -> str | None:
    """The text of the first child named (namespace left out) by the first of `names`
    that has one."""
    for name in names:
        text = next((c.text for c in element if _local(c.tag) == name and c.text), None)
        if text:
            return text
    return None


class NotAFeed(ValueError):
    """The body is no feed or sitemap (a URL that served one now serves a web page)."""


FEED_ROOTS = frozenset({"rss", "rdf", "feed"})  # RSS 0.9x/2.0, RSS 1.0, Atom
SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


def feed_entries(body: bytes, base_url: str) -> list[Listed]:
    """The entries' pages, in feed order; NotAFeed if the body is none. (An empty feed is
    a feed: it says nothing is new. A web page in its place would say the same, wrongly.)"""
    text = body.lstrip()
    if text.startswith(b"{"):
        try:
            feed = json.loads(text)
        except ValueError:
            raise NotAFeed("not a JSON feed: its JSON does not parse") from None
        if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
            raise NotAFeed("not a JSON feed: no list of items")
        return _listed([(i.get("url") or i.get("external_url"),
                         i.get("date_published") or i.get("date_modified"),
                         i.get("date_modified"))
                        for i in feed["items"] if isinstance(i, dict)], base_url)
    root = _xml(body)
    if root is None or _local(root.tag) not in FEED_ROOTS:
        what = "no XML" if root is None else f"XML whose root is <{_local(root.tag)}>"
        raise NotAFeed(f"not an RSS, Atom or JSON feed: {what}")
    entries = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":  # RSS 0.9x/2.0 and RSS 1.0 (RDF)
            link = _child_text(element, "link")
            if link is None:
                link = next((c.text for c in element if _local(c.tag) == "guid"
                             and c.get("isPermaLink", "true") != "false"), None)
            entries.append((link, _child_text(element, "pubdate", "date"), None))
        elif name == "entry":  # Atom
            hrefs = [c.get("href") for c in element if _local(c.tag) == "link"
                     and c.get("rel", "alternate") == "alternate"]
            entries.append((next((h for h in hrefs if h), None),
                            _child_text(element, "published", "updated"),
                            _child_text(element, "updated")))
    return _listed(entries, base_url)


def sitemap_entries(body: bytes, base_url: str) -> tuple[list[Listed], list[str]]:
    """(pages, nested sitemap URLs); NotAFeed if the body is XML but no sitemap (a web
    page in a sitemap's place)."""
    root = _xml(body) if body.lstrip().startswith(b"<") else None
    if root is None:
        lines = body.decode("utf-8", "replace").splitlines()
        return _listed([(line, None, None) for line in lines if "://" in line], base_url), []
    if _local(root.tag) not in SITEMAP_ROOTS:
        raise NotAFeed(f"not a sitemap: XML whose root is <{_local(root.tag)}>")
    pages, children = [], []
    for element in root.iter():
        name = _local(element.tag)
        if name == "sitemap":
            children.append((_child_text(element, "loc"), None, None))
        elif name == "url":
            news = next((c for c in element if _local(c.tag) == "news"), None)
            date = _child_text(news, "publication_date") if news is not None else None
            pages.append((_child_text(element, "loc"), date, _child_text(element, "lastmod")))
    return _listed(pages, base_url), [x.url for x in _listed(children, base_url)]
