"""Links out of RSS/Atom/JSON feeds and XML/text sitemaps.

trafilatura's own helpers (`feeds.extract_links`, `sitemaps.SitemapObject`) filter
links through courlan, which drops IP and localhost hosts and applies language and
domain heuristics meant for open crawling; a user's configured feed should give all
its entries. So the formats are read here, with lxml's safe parser (no entities, no
network), following the same rules: RSS `item/link` (or a permalink `guid`), Atom
`entry/link` (alternate or unqualified), JSON Feed `items[].url`; sitemaps' `urlset`
pages and `sitemapindex` children, or one URL per line.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from lxml import etree

MAX_LINKS = 100_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _http_links(links, base_url: str) -> list[str]:
    out, seen = [], set()
    for link in links:
        if not link:
            continue
        url = urljoin(base_url, link.strip())
        if url.startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            out.append(url)
        if len(out) >= MAX_LINKS:
            break
    return out


def _xml(body: bytes):
    try:
        return etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def feed_links(body: bytes, base_url: str) -> list[str]:
    """The entries' page URLs, in feed order."""
    text = body.lstrip()
    if text.startswith(b"{"):
        try:
            items = json.loads(text).get("items", [])
        except (ValueError, AttributeError):
            return []
        return _http_links([i.get("url") or i.get("external_url") for i in items
                            if isinstance(i, dict)], base_url)
    root = _xml(body)
    if root is None:
        return []
    links = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":  # RSS 0.9x/2.0 and RSS 1.0 (RDF)
            link = next((c.text for c in element if _local(c.tag) == "link" and c.text), None)
            if link is None:
                link = next((c.text for c in element if _local(c.tag) == "guid"
                             and c.get("isPermaLink", "true") != "false"), None)
            links.append(link)
        elif name == "entry":  # Atom
            hrefs = [c.get("href") for c in element if _local(c.tag) == "link"
                     and c.get("rel", "alternate") == "alternate"]
            links.append(next((h for h in hrefs if h), None))
    return _http_links(links, base_url)


def sitemap_links(body: bytes, base_url: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs)."""
    root = _xml(body) if body.lstrip().startswith(b"<") else None
    if root is None:
        lines = body.decode("utf-8", "replace").splitlines()
        return _http_links([line for line in lines if "://" in line], base_url), []
    pages, children = [], []
    for element in root.iter():
        if _local(element.tag) != "loc" or not element.text:
            continue
        parent = _local(element.getparent().tag) if element.getparent() is not None else ""
        (children if parent == "sitemap" else pages).append(element.text)
    return _http_links(pages, base_url), _http_links(children, base_url)
