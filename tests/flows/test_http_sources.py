"""Real HTTP sources against a site on 127.0.0.1 that misbehaves on purpose: every
page gets a row (an article or a clear error), the run goes on, nothing is fetched
twice when it has not changed."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.fetch import Fetcher, FetchSettings, retry_after_seconds
from flows.sources import discover_source, read_pages
from tests.conftest import seed_path
from tests.flows.http_site import running_site, story
from warehouse import connect

FAST = {"timeout": 1.0, "deadline": 3.0, "retries": 2, "backoff": 0.1, "per_host_delay": 0.0,
        "per_host_concurrency": 4, "max_bytes": 1_000_000, "max_redirects": 5}

EXPECTED_ERRORS = {
    "/slow.html": "timed out",
    "/trickle.html": "too slow: not done in 3s",
    "/trickle-headers.html": "too slow: not done in 3s",
    "/loop-a": "too many redirects",
    "/big.html": "too large",
    "/bomb.html": "too large",
    "/image.png": "unsupported content type image/png",
    "/drop.html": "connection failed",
    "/private/secret.html": "disallowed by robots.txt",
    "/very-limited.html": "Retry-After 86400s is longer than",
    "/missing.html": "HTTP 404",
}
GOOD = ["/news/1.html", "/news/2.html", "/flaky.html", "/limited.html", "/changing.html"]


@pytest.fixture(scope="module")
def site():
    with running_site() as site:
        yield site


def pages_by_path(db, base):
    with connect(db, read_only=True) as con:
        rows = con.execute(
            "SELECT p.url, p.error, a.article_id IS NOT NULL FROM pages p "
            "LEFT JOIN articles a USING (page_id)").fetchall()
    return {url.removeprefix(base): (error, has_article) for url, error, has_article in rows}


def test_misbehaving_server_each_case_handled_and_the_run_goes_on(tmp_path, site,
                                                                  prefect_harness):
    from flows.ingest import ingest

    urls = tmp_path / "site.urls"
    urls.write_text("\n".join(site.base + p for p in [*GOOD, *EXPECTED_ERRORS]))
    db = tmp_path / "w.duckdb"
    started = time.monotonic()
    summary = ingest(sources=[str(urls)], db=str(db), fetch=FAST)

    got = pages_by_path(db, site.base)
    for path in GOOD:
        assert got[path] == (None, True), path
    for path, message in EXPECTED_ERRORS.items():
        error, has_article = got[path]
        assert error and message in error and not has_article, (path, error)
    counts = summary["counts"]
    assert counts["pages_read"] == len(GOOD) + len(EXPECTED_ERRORS)
    assert counts["pages_failed"] == len(EXPECTED_ERRORS)
    assert counts["articles"] == len(GOOD)
    # Retried after the 500 and after the 429's one-second Retry-After.
    assert site.hits["/flaky.html"] == 2 and site.hits["/limited.html"] == 2
    assert time.monotonic() - started >= 1.0
    # A dropped connection is retried; a robots.txt refusal never reaches the server.
    assert site.hits["/drop.html"] == 1 + FAST["retries"]
    assert site.hits["/private/secret.html"] == 0
    # A server that trickles its reply is asked once: a second try would trickle too.
    assert site.hits["/trickle.html"] == site.hits["/trickle-headers.html"] == 1


def test_unchanged_pages_are_not_downloaded_again_and_changed_ones_are_new_rows(
    tmp_path, site, prefect_harness
):
    from flows.ingest import ingest

    urls = tmp_path / "two.urls"
    urls.write_text(f"{site.base}/news/7.html\n{site.base}/news/8.html\n"
                    f"{site.base}/changing.html\n")
    db = tmp_path / "w.duckdb"
    site.version = 1
    ingest(sources=[str(urls)], db=str(db), fetch=FAST)
    before = pages_by_path(db, site.base)

    site.version = 2
    summary = ingest(sources=[str(urls)], db=str(db), fetch=FAST)
    counts = summary["counts"]
    assert site.not_modified["/news/7.html"] == 1 and site.not_modified["/news/8.html"] == 1
    assert counts["pages_not_modified"] == 2
    assert counts["pages_new"] == 1  # the changed page
    with connect(db, read_only=True) as con:
        changing = con.execute(
            "SELECT count(*), count(DISTINCT a.article_id) FROM pages p JOIN articles a "
            "USING (page_id) WHERE p.url LIKE '%/changing.html'").fetchall()[0]
        linked = con.execute(
            "SELECT count(*) FROM links l JOIN articles a ON a.article_id = l.article_id "
            "JOIN articles b ON b.article_id = l.other_id "
            "WHERE a.url LIKE '%/changing.html' AND b.url LIKE '%/changing.html'"
        ).fetchall()[0][0]
    assert changing == (2, 2)  # two versions, two articles
    assert linked == 1         # and the new version is linked to the old one
    assert len(before) == 3


def test_feed_and_sitemap_sources(tmp_path, site, prefect_harness):
    from flows.ingest import ingest

    db = tmp_path / "w.duckdb"
    sources = [{"name": "test-feed", "kind": "feed", "location": f"{site.base}/feed.xml"},
               {"name": "test-sitemap", "kind": "sitemap",
                "location": f"{site.base}/sitemap.xml"}]
    summary = ingest(sources=sources, db=str(db), fetch=FAST)
    with connect(db, read_only=True) as con:
        rows = con.execute("SELECT source, p.url FROM pages p JOIN articles USING (page_id) "
                           "ORDER BY p.url").fetchall()
    assert [(s, u.removeprefix(site.base)) for s, u in rows] == [
        ("test-feed", "/news/1.html"), ("test-feed", "/news/2.html"),
        ("test-feed", "/news/3.html"), ("test-sitemap", "/news/4.html"),
        ("test-sitemap", "/news/5.html"), ("test-sitemap", "/news/6.html")]
    assert summary["counts"].get("sources_failed", 0) == 0


def dated_feed(site, days: dict[str, str]) -> str:
    """A feed on the site listing the seed pages `days` names (prefix -> pubDate), each
    served as the text page it is; the seeds show no date of their own."""
    items = ""
    for prefix, day in days.items():
        path = f"/seeds/{prefix}.txt"
        site.extra[path] = (seed_path(prefix).read_bytes(), "text/plain; charset=utf-8")
        items += f"<item><link>{site.base}{path}</link><pubDate>{day}</pubDate></item>"
    site.extra["/dated.xml"] = (f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                f"{items}</channel></rss>".encode(), "application/rss+xml")
    return f"{site.base}/dated.xml"


def test_a_feed_dates_the_pages_that_show_none_and_the_event_window_applies(
        tmp_path, site, prefect_harness):
    """Seeds 000 and 001 report the same summit, undated, and are one event. Listed a
    day apart they still are, with the feed's dates as theirs (kept by a reprocess,
    which reads only what the warehouse stored); listed two months apart, they are
    outside each other's event window."""
    from flows.ingest import ingest, reprocess

    def run(db, days) -> tuple[int, list]:
        source = {"name": "dated", "kind": "feed", "location": dated_feed(site, days)}
        summary = ingest(sources=[source], db=str(db), fetch=FAST)
        assert summary["counts"].get("articles") == len(days)
        with connect(db, read_only=True) as con:
            return con.execute("SELECT count(DISTINCT event_id) FROM event_members"
                               ).fetchall()[0][0], con.execute(
                "SELECT p.listed_at, a.published_at FROM pages p JOIN articles a "
                "USING (page_id) ORDER BY p.url").fetchall()

    near = {"000": "Wed, 19 Jun 2024 09:00:00 +0300", "001": "Thu, 20 Jun 2024 16:30:00 GMT"}
    events, dates = run(tmp_path / "near.duckdb", near)
    assert events == 1
    assert dates == [(datetime(2024, 6, 19, 6), datetime(2024, 6, 19, 6)),
                     (datetime(2024, 6, 20, 16, 30), datetime(2024, 6, 20, 16, 30))]
    reprocess(db=str(tmp_path / "near.duckdb"))
    with connect(tmp_path / "near.duckdb", read_only=True) as con:
        assert con.execute("SELECT published_at FROM articles ORDER BY url").fetchall() == [
            (d,) for _, d in dates]

    far = {"000": "Wed, 19 Jun 2024 09:00:00 +0300", "001": "Tue, 20 Aug 2024 16:30:00 GMT"}
    events, _ = run(tmp_path / "far.duckdb", far)
    assert events == 2


def test_a_sitemap_page_stored_a_while_ago_is_asked_for_again_only_when_its_lastmod_moves(
        tmp_path, site, prefect_harness):
    from flows.ingest import ingest

    def sitemap(lastmod: dict[int, str]) -> dict:
        urls = "".join(f"<url><loc>{site.base}/news/{n}.html</loc><lastmod>{day}</lastmod>"
                       f"</url>" for n, day in lastmod.items())
        site.extra["/revisit.xml"] = (
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>".encode(), "application/xml")
        return {"name": "revisit", "kind": "sitemap", "location": f"{site.base}/revisit.xml"}

    paths = [f"/news/{n}.html" for n in (21, 22, 23)]
    db = str(tmp_path / "w.duckdb")
    source = sitemap(dict.fromkeys((21, 22, 23), "2024-06-01"))
    ingest(sources=[source], db=db, fetch=FAST)
    assert [site.hits[p] for p in paths] == [1, 1, 1]
    # fresh (read within revisit_within, a day by default): asked again, conditionally
    counts = ingest(sources=[source], db=db, fetch=FAST)["counts"]
    assert [site.hits[p] for p in paths] == [2, 2, 2]
    assert counts["pages_not_modified"] == 3 and counts.get("pages_not_requested", 0) == 0
    # no longer fresh, and the sitemap shows no change: not asked for
    settled = {**FAST, "revisit_within": 0}
    counts = ingest(sources=[source], db=db, fetch=settled)["counts"]
    assert [site.hits[p] for p in paths] == [2, 2, 2]
    assert counts["pages_not_requested"] == 3 and counts["pages_unchanged"] == 3
    assert counts.get("pages_not_modified", 0) == 0 and counts.get("pages_failed", 0) == 0
    # the sitemap says one changed after it was read: that one is asked for
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    source = sitemap({21: "2024-06-01", 22: later, 23: "2024-06-01"})
    counts = ingest(sources=[source], db=db, fetch=settled)["counts"]
    assert [site.hits[p] for p in paths] == [2, 3, 2]
    assert counts["pages_not_requested"] == 2 and counts["pages_not_modified"] == 1
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchall()[0][0] == 3


def test_a_sitemap_child_that_cannot_be_read_costs_only_its_own_pages(site):
    index = "".join(f"<sitemap><loc>{site.base}{path}</loc></sitemap>"
                    for path in ("/broken.xml.gz", "/gone.xml", "/sitemap-news.xml"))
    site.extra["/index.xml"] = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.'
                                f'sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'
                                ).encode(), "application/xml"
    site.extra["/broken.xml.gz"] = b"\x1f\x8b\x08\x00" + b"\xff" * 200, "application/gzip"
    found = discover_source({"kind": "sitemap", "location": f"{site.base}/index.xml"},
                            Fetcher(FetchSettings(**FAST)))
    # the readable child's pages are there; the two others are named, with why
    assert sorted(ref.location for ref in found.pages) == [
        f"{site.base}/news/{n}.html" for n in (4, 5, 6)]
    assert "/broken.xml.gz: corrupt gzip data" in found.problem
    assert "(and 1 more)" in found.problem


def test_a_sitemap_index_past_the_limit_says_how_many_it_left(site, monkeypatch):
    monkeypatch.setattr("flows.sources.MAX_SITEMAPS", 2)
    index = "".join(f"<sitemap><loc>{site.base}/sitemap-news.xml?part={n}</loc></sitemap>"
                    for n in range(3))
    site.extra["/index-of-3.xml"] = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.'
                                     f'sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'
                                     ).encode(), "application/xml"
    found = discover_source({"kind": "sitemap", "location": f"{site.base}/index-of-3.xml"},
                            Fetcher(FetchSettings(**FAST)))
    assert "2 more sitemaps listed, not read: at most 2 a run" in found.problem


def test_a_feed_that_cannot_be_fetched_fails_that_source_only(tmp_path, site, prefect_harness):
    from flows.ingest import ingest

    db = tmp_path / "w.duckdb"
    sources = [{"name": "gone", "kind": "feed", "location": f"{site.base}/no-feed.xml"},
               {"name": "moved", "kind": "feed", "location": f"{site.base}/news/8.html"},
               {"name": "ok", "kind": "url", "location": f"{site.base}/news/9.html"}]
    summary = ingest(sources=sources, db=str(db), fetch=FAST)
    assert summary["counts"]["sources_failed"] == 2
    assert summary["counts"]["articles"] == 1
    assert any("HTTP 404" in error for _, error in summary["errors"])
    # a feed's URL that serves a web page is not read as a feed with nothing new
    assert any("'moved': not an RSS, Atom or JSON feed" in error
               for _, error in summary["errors"])


def write_warc(path, base):
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        records = [
            ("/warc/1.html", "200 OK", "text/html; charset=utf-8", story(31)),
            ("/warc/2.html", "200 OK", "text/html", story(32)),
            ("/warc/logo.png", "200 OK", "image/png", b"\x89PNG" + b"\0" * 50),
            ("/warc/gone.html", "404 Not Found", "text/html", b"<p>gone</p>"),
        ]
        for url_path, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                base + url_path, "response", payload=io.BytesIO(body), http_headers=headers))


def test_warc_source_gives_its_html_responses(tmp_path, prefect_harness):
    from flows.ingest import ingest

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, "https://news.example")
    db = tmp_path / "w.duckdb"
    summary = ingest(sources=[str(warc)], db=str(db), batch_size=1)
    with connect(db, read_only=True) as con:
        rows = con.execute("SELECT p.source, a.url, a.title FROM pages p JOIN articles a "
                           "USING (page_id) ORDER BY a.url").fetchall()
    assert [(s, u) for s, u, _ in rows] == [("crawl", "https://news.example/warc/1.html"),
                                            ("crawl", "https://news.example/warc/2.html")]
    assert rows[0][2] == "Story 31 about the satellite"
    assert summary["counts"]["pages_read"] == 2


def test_a_warc_record_whose_target_is_malformed_is_read_like_the_others(tmp_path,
                                                                          prefect_harness):
    # "https://[URL]/..." made urlsplit raise in the run's template lookup: the run failed
    from flows.ingest import ingest

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, "https://[URL]")
    db = tmp_path / "w.duckdb"
    summary = ingest(sources=[str(warc)], db=str(db))
    assert summary["counts"]["articles"] == 2
    with connect(db, read_only=True) as con:
        assert sorted(u for (u,) in con.execute("SELECT url FROM articles").fetchall()) == [
            "https://[URL]/warc/1.html", "https://[URL]/warc/2.html"]


def test_a_damaged_warc_costs_its_damaged_record_only(tmp_path, prefect_harness):
    """Bytes slipped into one gzip member: before, warcio's error failed the source's
    discovery task and with it the whole run, the other source's pages too."""
    from flows.ingest import ingest

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, "https://news.example")
    data = warc.read_bytes()
    second = data.index(b"\x1f\x8b\x08", 1)  # the second record's gzip member
    warc.write_bytes(data[: second + 12] + b"\x00garbage" * 100 + data[second + 12 :])
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.html").write_bytes(story(40))
    db = tmp_path / "w.duckdb"
    summary = ingest(sources=[str(warc), str(other)], db=str(db))
    with connect(db, read_only=True) as con:
        urls = [u for (u,) in con.execute("SELECT url FROM articles ORDER BY url").fetchall()]
    assert urls[0] == (other / "a.html").as_uri()
    assert urls[1:] == ["https://news.example/warc/1.html"]  # 2.html was the damaged one
    assert summary["counts"]["sources_failed"] == 1
    assert any("damaged at byte" in error for _, error in summary["errors"])


def test_warc_served_over_http_is_downloaded_then_read(tmp_path, site, prefect_harness):
    from flows.ingest import ingest

    warc = tmp_path / "served.warc.gz"
    write_warc(warc, "https://cc.example")
    site.warc = warc.read_bytes()
    db = tmp_path / "w.duckdb"
    ingest(sources=[f"{site.base}/crawl.warc.gz"], db=str(db), fetch=FAST)
    with connect(db, read_only=True) as con:
        rows = con.execute("SELECT p.source, a.url FROM pages p JOIN articles a "
                           "USING (page_id) ORDER BY a.url").fetchall()
    assert rows == [("crawl", "https://cc.example/warc/1.html"),
                    ("crawl", "https://cc.example/warc/2.html")]
    assert site.hits["/crawl.warc.gz"] == 1


def test_per_host_concurrency_and_delay_are_kept(site):
    settings = FetchSettings(**{**FAST, "per_host_concurrency": 2, "per_host_delay": 0.1})
    site.max_in_flight = 0
    site.starts.clear()
    sent: list[float] = []
    with Fetcher(settings) as fetcher:
        # When each request leaves the client: the server's own clock of when it began
        # handling one also counts its threads' scheduling, which on a loaded machine
        # let two handlers start 4 ms apart although the requests left 0.1 s apart.
        fetcher.client.event_hooks = {"request": [
            lambda request: sent.append(time.monotonic())
            if request.url.path.startswith("/news/") else None]}
        results = fetcher.fetch_many([f"{site.base}/news/{n}.html" for n in range(10, 20)])
    assert all(r.error is None for r in results)
    assert site.max_in_flight <= 2
    assert len(sent) == 10
    gaps = [b - a for a, b in zip(sorted(sent), sorted(sent)[1:], strict=False)]
    assert min(gaps) >= 0.09


def test_a_warc_download_that_trickles_is_given_up_at_its_deadline_not_retried(tmp_path, site):
    settings = FetchSettings(**{**FAST, "download_deadline": 2.0})
    dest = tmp_path / "crawl.warc.gz"
    before = site.hits["/trickle.html"]
    with Fetcher(settings) as fetcher:
        error = fetcher.download(f"{site.base}/trickle.html", dest, 10**6)
    assert error.startswith("download failed: too slow: not done in 2s"), error
    assert not dest.exists() and list(tmp_path.iterdir()) == []
    assert site.hits["/trickle.html"] == before + 1


def test_only_http_and_https_are_fetched():
    with Fetcher(FetchSettings(**FAST)) as fetcher:
        for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)"]:
            assert "only http and https" in fetcher.fetch(url).error


def test_a_malformed_url_is_a_page_refused_with_why_and_the_list_is_read(tmp_path, site):
    # each raised out of the fetch before, and the first out of the list's discovery
    bad = ["http://[::1", "http://a..b/", f"http://{'a' * 64}.example/"]
    with Fetcher(FetchSettings(**FAST)) as fetcher:
        for url in bad:
            assert "refused URL: it is malformed" in fetcher.fetch(url).error
    urls = tmp_path / "list.urls"
    urls.write_text("\n".join([*bad, f"{site.base}/news/3.html"]))
    pages = read_pages(discover_source(str(urls)).pages, Fetcher(FetchSettings(**FAST)))
    assert [p.read_error and "malformed" in p.read_error for p in pages[:3]] == [True] * 3
    assert pages[3].read_error is None and b"Story 3" in pages[3].body


def test_retry_after_as_seconds_or_http_date():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None
