"""Feeds and sitemaps: the pages they list, and the publication date each entry gives."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from flows.feeds import Listed, NotAFeed, feed_entries, listed_date, sitemap_entries

BASE = "https://news.example.com/feeds/"


def test_rss_entries_keep_their_pubdate_in_utc():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <item><title>A</title><link>https://news.example.com/a</link>
      <pubDate>Wed, 19 Jun 2024 10:00:00 +0300</pubDate></item>
    <item><title>B</title><guid isPermaLink="true">/b</guid>
      <pubDate>19 Jun 2024 10:00 EST</pubDate></item>
    <item><title>C</title><link>https://news.example.com/c</link>
      <pubDate>sometime last week</pubDate></item>
    <item><title>A again</title><link>https://news.example.com/a</link>
      <pubDate>Thu, 20 Jun 2024 10:00:00 GMT</pubDate></item>
    <item><title>D</title><guid isPermaLink="false">tag:d</guid></item>
    </channel></rss>"""
    assert feed_entries(body, BASE) == [
        Listed("https://news.example.com/a", datetime(2024, 6, 19, 7, tzinfo=UTC)),
        Listed("https://news.example.com/b", datetime(2024, 6, 19, 15, tzinfo=UTC)),
        Listed("https://news.example.com/c", None),  # listed all the same
    ]


def test_rss_1_items_take_dublin_core_dates():
    body = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <item rdf:about="https://news.example.com/x"><title>X</title>
      <link>https://news.example.com/x</link><dc:date>2024-06-19T10:00:00+02:00</dc:date>
    </item></rdf:RDF>"""
    assert feed_entries(body, BASE) == [
        Listed("https://news.example.com/x", datetime(2024, 6, 19, 8, tzinfo=UTC))]


def test_atom_entries_take_published_else_updated():
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
    <link rel="self" href="https://news.example.com/atom.xml"/>
    <entry><title>P</title><link rel="self" href="/api/p"/><link href="/p"/>
      <updated>2024-06-21T00:00:00Z</updated><published>2024-06-19T00:00:00Z</published>
    </entry>
    <entry><title>U</title><link rel="alternate" href="https://news.example.com/u"/>
      <updated>2024-06-20T12:00:00Z</updated></entry>
    </feed>"""
    assert feed_entries(body, BASE) == [
        Listed("https://news.example.com/p", datetime(2024, 6, 19, tzinfo=UTC),
               datetime(2024, 6, 21, tzinfo=UTC)),
        Listed("https://news.example.com/u", datetime(2024, 6, 20, 12, tzinfo=UTC),
               datetime(2024, 6, 20, 12, tzinfo=UTC)),
    ]


def test_json_feed_items_take_date_published_else_date_modified():
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "url": "https://news.example.com/1",
         "date_published": "2024-06-19T10:00:00-04:00",
         "date_modified": "2024-06-25T10:00:00Z"},
        {"id": "2", "url": "https://news.example.com/2", "date_modified": "2024-06-20"},
        {"id": "3", "external_url": "https://other.example.org/3"},
        "not an item",
    ]}).encode()
    assert feed_entries(body, BASE) == [
        Listed("https://news.example.com/1", datetime(2024, 6, 19, 14, tzinfo=UTC),
               datetime(2024, 6, 25, 10, tzinfo=UTC)),
        Listed("https://news.example.com/2", datetime(2024, 6, 20, tzinfo=UTC),
               datetime(2024, 6, 20, tzinfo=UTC)),
        Listed("https://other.example.org/3", None),
    ]


def test_a_json_feed_of_odd_values_gives_its_good_items_and_does_not_raise():
    body = json.dumps({"items": [
        {"url": 5}, {"url": ["a"]}, {"url": None, "external_url": {"x": 1}}, "text",
        {"url": "/fine", "date_published": 1718791200},  # a number, not RFC 3339
        {"url": "/also-fine", "date_published": "2024-06-19T10:00:00Z"}]}).encode()
    assert feed_entries(body, BASE) == [
        Listed("https://news.example.com/fine", None),
        Listed("https://news.example.com/also-fine", datetime(2024, 6, 19, 10, tzinfo=UTC)),
    ]


def test_a_malformed_link_costs_only_its_entry():
    rss = (b"<rss><channel><item><link>http://[::1</link></item>"
           b"<item><link>/ok</link></item></channel></rss>")
    assert feed_entries(rss, BASE) == [Listed("https://news.example.com/ok", None)]
    text = b"http://[::1\nhttps://news.example.com/ok\n"
    assert sitemap_entries(text, BASE) == ([Listed("https://news.example.com/ok", None)], [])


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>Moved</title></head><body>x</body></html>",
    b'{"items": null}', b"[1, 2]", b"{not json", b"\x00\x01 binary"])
def test_what_is_no_feed_is_said_to_be_none_not_read_as_an_empty_one(body):
    # a feed's URL that now serves the site's home page would else look like a quiet feed
    with pytest.raises(NotAFeed):
        feed_entries(body, BASE)
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    assert feed_entries(empty, BASE) == []


def test_a_web_page_in_a_sitemaps_place_is_said_to_be_none():
    with pytest.raises(NotAFeed):
        sitemap_entries(b"<html><body><a href='https://news.example.com/a'>a</a></body></html>",
                        BASE)
    # a text sitemap is one URL a line
    assert sitemap_entries(b"https://news.example.com/a\n", BASE) == (
        [Listed("https://news.example.com/a", None)], [])


def test_news_sitemaps_give_publication_dates_and_lastmod_is_a_change_not_one():
    body = b"""<?xml version="1.0"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
            xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
    <url><loc>https://news.example.com/story</loc>
      <news:news><news:publication><news:name>Example</news:name>
        <news:language>en</news:language></news:publication>
        <news:publication_date>2024-06-19T10:00:00+00:00</news:publication_date>
        <news:title>Story</news:title></news:news>
      <image:image><image:loc>https://cdn.example.com/photo.jpg</image:loc></image:image>
    </url>
    <url><loc>https://news.example.com/about-us</loc><lastmod>2024-06-25</lastmod></url>
    </urlset>"""
    pages, children = sitemap_entries(body, BASE)
    # the image is not a page: fetched, it was only ever an "unsupported content type" row
    assert pages == [
        Listed("https://news.example.com/story", datetime(2024, 6, 19, 10, tzinfo=UTC)),
        Listed("https://news.example.com/about-us", None, datetime(2024, 6, 25, tzinfo=UTC)),
    ]
    assert [p.changed_at for p in pages] == [datetime(2024, 6, 19, 10, tzinfo=UTC),
                                             datetime(2024, 6, 25, tzinfo=UTC)]
    assert children == []


def test_sitemap_indexes_and_text_sitemaps():
    index = b"""<?xml version="1.0"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>/sitemap-1.xml</loc><lastmod>2024-06-19</lastmod></sitemap>
    <sitemap><loc>ftp://news.example.com/sitemap-2.xml</loc></sitemap>
    </sitemapindex>"""
    assert sitemap_entries(index, BASE) == ([], ["https://news.example.com/sitemap-1.xml"])
    text = b"https://news.example.com/a\n# a comment\nhttps://news.example.com/b\n"
    assert sitemap_entries(text, BASE) == ([Listed("https://news.example.com/a"),
                                            Listed("https://news.example.com/b")], [])


def test_dates_that_cannot_be_publication_dates_are_none():
    now = datetime(2024, 6, 20, tzinfo=UTC)
    assert listed_date("0001-01-01T00:00:00+05:00", now) is None  # before year 1 in UTC
    assert listed_date("1970-01-01T00:00:00Z", now) is None        # a zero timestamp
    assert listed_date("2099-12-31", now) is None                  # a placeholder
    assert listed_date("Wed, 31 Feb 2024 10:00:00 GMT", now) is None
    assert listed_date("2024", now) is None
    assert listed_date("", now) is None and listed_date(None, now) is None
    # a time zone written wrong can put a fresh entry a few hours ahead
    assert listed_date("2024-06-20T09:00:00", now) == datetime(2024, 6, 20, 9, tzinfo=UTC)


def test_a_stored_listed_page_is_asked_for_again_while_fresh_or_when_its_listing_changed():
    from flows.sources import PageRef, unchanged_listings

    now = datetime(2024, 6, 20, 12, tzinfo=UTC)
    read = {f"https://n.example/{k}": datetime(2024, 6, 19, 10, tzinfo=UTC)
            for k in ("old", "edited", "published-later", "listed-plain", "recent", "in-list")}
    read["https://n.example/recent"] = datetime(2024, 6, 20, 9, tzinfo=UTC)

    def listed(key, published=None, modified=None):
        return PageRef(f"https://n.example/{key}", "s", kind="http",
                       listing=Listed(f"https://n.example/{key}", published, modified))

    refs = [
        listed("old", datetime(2024, 6, 19, 8, tzinfo=UTC), datetime(2024, 6, 19, 9, tzinfo=UTC)),
        listed("edited", datetime(2024, 6, 19, 8, tzinfo=UTC), datetime(2024, 6, 20, tzinfo=UTC)),
        listed("published-later", datetime(2024, 6, 19, 11, tzinfo=UTC)),
        listed("listed-plain"),          # a text sitemap: no dates at all
        listed("recent"),                # stored 3 hours ago: may still be corrected
        listed("never-read"),
        PageRef("https://n.example/in-list", "s", kind="http"),  # a URL list's page
    ]
    day = 86400.0
    assert unchanged_listings(refs, read, now, day) == {
        "https://n.example/old", "https://n.example/listed-plain"}
    assert unchanged_listings(refs, read, now, 3600.0) == {
        "https://n.example/old", "https://n.example/listed-plain", "https://n.example/recent"}
    assert unchanged_listings(refs, read, now, float("inf")) == set()
