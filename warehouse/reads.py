"""Every read the pipeline makes of the warehouse."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pyarrow as pa
from duckdb import DuckDBPyConnection as Connection

from dedupe.candidates import BandMatch
from dedupe.grouping import GroupState
from dedupe.lsh import KEY_BITS, KEY_MASK
from dedupe.records import ArticleFacts, Fingerprint
from dedupe.settings import DedupeSettings
from extract.records import RawPage
from extract.templates import SiteSample
from warehouse.batch import (
    article_id_of,
    band_rows,
    bucketless_probe_rows,
    event_probe_rows,
)
from warehouse.connection import registered
from warehouse.raw_bytes import unpack
from warehouse.schema import KEYS, UNINDEXED_KEYS


def _joined(con: Connection, sql: str, name: str, column: str, values: list) -> list[tuple]:
    """The rows of `sql`, which joins the one-column table `name` of these values."""
    with registered(con, **{name: pa.table({column: values})}):
        return con.execute(sql).fetchall()


def known_ids(con: Connection, table: str, column: str, ids: list[str]) -> set[str]:
    """Which of these ids the table holds (a keyed lookup of the few asked for)."""
    if not ids:
        return set()
    rows = _joined(con, f"SELECT {column} FROM {table} SEMI JOIN _ids USING ({column})",
                   "_ids", column, ids)
    return {r[0] for r in rows}


def known_page_ids(con: Connection, page_ids: list[str]) -> set[str]:
    return known_ids(con, "pages", "page_id", page_ids)


def indexed_count(con: Connection) -> int:
    """How many articles the event and copy indexes hold."""
    return con.execute("SELECT count(*) FROM fingerprints").fetchall()[0][0]


def stored_frequencies(con: Connection, terms: list[str]) -> dict[str, int]:
    """Document frequencies of these terms over every article indexed so far (a term
    in none is not in the result)."""
    if not terms:
        return {}
    return dict(_joined(con, "SELECT term, df FROM term_df JOIN _terms USING (term)",
                        "_terms", "term", terms))


# An undated article looks its keys up in every stored time bucket while a batch's
# keys so made stay under this many rows (1,000,000: ~20 MB, 30 undated articles of a
# warehouse spanning ten years); past it, the batch's undated articles join the stored
# keys with their buckets masked off, which scans and hashes every stored key (~0.5 s
# at a million articles) but costs the same for one undated article or two hundred.
MAX_EXPANDED_KEYS = 1_000_000


def band_matches(
    con: Connection, fingerprints: list[Fingerprint], settings: DedupeSettings,
    max_expanded_keys: int = MAX_EXPANDED_KEYS,
) -> list[BandMatch]:
    """Stored articles sharing band keys with new ones, with how many keys they share:
    per new article and index, the few sharing most (what `select_candidates` keeps of
    them), event pairs under the floor of shared bands left in the database. A band key
    that more than `event_max_bucket` stored articles of the window share is a generic
    term's and brings no candidates, as a stop word would not: in a warehouse of
    millions such keys would be most of the rows joined. A key that more than that
    many stored articles share in its time bucket is left out before the join: it
    would be generic in any window, and joined, each new article sharing it made a row
    per stored one (a text stored thousands of times). A copy band key joins its first
    `copy_max_per_key` stored articles only: more are copies of one text.
    Event keys join only articles published within the event window of each other
    (a day of slack for the day granularity): a dated article looks its keys up in the
    time buckets of its window only (`dedupe.lsh`); undated articles join any, as
    `score_event` would accept them."""
    window = settings.event_window_days + 1
    copy_keys = band_rows(fingerprints)["copy_bands"]
    undated = [f for f in fingerprints if f.event_day is None]
    buckets = stored_buckets(con) if undated else set()
    masked = []
    if len(undated) * (len(buckets) + 1) * settings.event_bands > max_expanded_keys:
        masked = undated
        fingerprints = [f for f in fingerprints if f.event_day is not None]
    event_keys = event_probe_rows(fingerprints, window, buckets)
    if not copy_keys.num_rows and not event_keys.num_rows and not masked:
        return []
    rules = pa.table({
        "index_name": ["copy", "event"],
        "floor": [1, settings.event_min_shared_bands],
        "cap": [settings.copy_max_candidates, settings.event_max_candidates],
        "max_bucket": pa.array([None, settings.event_max_bucket], pa.int64()),
    })
    # the key without its time bucket: one salient term's, whenever published; crowded
    # keys left out before the join, as for the bucketed keys
    masked_stored = (
        ", masked_stored AS MATERIALIZED ("
        "  SELECT band_key & $key_mask AS band_key, article_key FROM event_bands"
        "  WHERE band_key & $key_mask IN (SELECT band_key FROM _masked_keys)"
        "), masked_crowded AS ("
        "  SELECT band_key FROM masked_stored GROUP BY band_key HAVING count(*) > $max_bucket"
        ")"
    ) if masked else ""
    by_low_bits = (
        "  UNION ALL"
        "  SELECT k.article_key, b.article_key, 'event', band_key"
        "  FROM (FROM _masked_keys ANTI JOIN masked_crowded USING (band_key)) k"
        "  JOIN masked_stored b USING (band_key)"
        "  WHERE b.article_key <> k.article_key"
    ) if masked else ""
    with registered(con, _copy_keys=copy_keys, _event_keys=event_keys,
                    _masked_keys=bucketless_probe_rows(masked), _rules=rules):
        rows = con.execute(
            "WITH copies AS ("
            "  SELECT band_key, article_key FROM copy_bands SEMI JOIN _copy_keys USING (band_key)"
            "  QUALIFY row_number() OVER (PARTITION BY band_key ORDER BY article_key)"
            "    <= $copy_per_key"
            "), stored_events AS MATERIALIZED ("
            "  SELECT band_key, article_key, day FROM event_bands"
            "  SEMI JOIN _event_keys USING (band_key)"
            "), crowded AS ("
            "  SELECT band_key FROM stored_events GROUP BY band_key HAVING count(*) > $max_bucket"
            f"){masked_stored}, hits AS ("
            "  SELECT k.article_key AS a, b.article_key AS o, 'copy' AS index_name, band_key"
            "  FROM _copy_keys k JOIN copies b USING (band_key)"
            "  WHERE b.article_key <> k.article_key"
            "  UNION ALL"
            "  SELECT k.article_key, b.article_key, 'event', band_key & $key_mask"
            "  FROM (FROM _event_keys ANTI JOIN crowded USING (band_key)) k"
            "  JOIN stored_events b USING (band_key)"
            "  WHERE b.article_key <> k.article_key"
            "    AND (k.day IS NULL OR b.day IS NULL OR abs(b.day - k.day) <= $window)"
            f"{by_low_bits}"
            "), generic AS ("
            "  SELECT index_name, band_key FROM hits JOIN _rules USING (index_name)"
            "  GROUP BY index_name, band_key, max_bucket"
            "  HAVING count(DISTINCT o) > max_bucket"
            "), pairs AS ("
            "  SELECT a, o, index_name, count(*) AS shared"
            "  FROM hits ANTI JOIN generic USING (index_name, band_key) GROUP BY ALL"
            ") SELECT a, o, index_name, shared FROM pairs JOIN _rules USING (index_name)"
            "  WHERE shared >= floor"
            "  QUALIFY row_number() OVER ("
            "    PARTITION BY a, index_name ORDER BY shared DESC, o) <= cap",
            {"window": window, "key_mask": KEY_MASK, "copy_per_key": settings.copy_max_per_key,
             "max_bucket": settings.event_max_bucket},
        ).fetchall()
    return [BandMatch(article_id_of(a), article_id_of(o), name, shared)
            for a, o, name, shared in rows]


def stored_buckets(con: Connection) -> set[int]:
    """The time buckets the event index holds keys in, for undated articles' lookups."""
    return {b for (b,) in con.execute("SELECT bucket FROM event_buckets").fetchall()}


def http_validators(con: Connection, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """(ETag, Last-Modified) stored for these URLs, for conditional GETs."""
    if not urls:
        return {}
    rows = _joined(con, "SELECT url, etag, last_modified FROM http_cache JOIN _urls USING (url)",
                   "_urls", "url", urls)
    return {url: (etag, modified) for url, etag, modified in rows}


# The content hash of an empty body: a page whose fetch failed.
_EMPTY = hashlib.sha256(b"").hexdigest()


def last_content_read(con: Connection, urls: list[str]) -> dict[str, datetime]:
    """When the warehouse last stored new content from each of these URLs (UTC); URLs
    never read with content are left out."""
    if not urls:
        return {}
    rows = _joined(con, "SELECT url, max(fetched_at) FROM pages JOIN _urls USING (url) "
                        f"WHERE content_hash <> '{_EMPTY}' GROUP BY url", "_urls", "url", urls)
    return {url: read.replace(tzinfo=UTC) for url, read in rows}


def site_samples(con: Connection, sites: set[str]) -> dict[str, tuple[SiteSample, ...]]:
    """The stored template samples of these sites, oldest first (none for a new site)."""
    if not sites:
        return {}
    rows = _joined(con, "SELECT site, article_id, line_keys FROM site_samples "
                   "JOIN _sites USING (site) ORDER BY site, position",
                   "_sites", "site", sorted(sites))
    samples: dict[str, list[SiteSample]] = {}
    for site, article_id, keys in rows:
        samples.setdefault(site, []).append(SiteSample(article_id, frozenset(keys)))
    return {site: tuple(found) for site, found in samples.items()}


def queued_pages(con: Connection, limit: int) -> list[RawPage]:
    """The next stored pages to extract again, in the order they were first read, so
    that linking them again places them as it did the first time."""
    rows = con.execute(
        "SELECT p.rowid, p.url, p.source, p.fetched_at, p.content_type, p.error, p.listed_at "
        "FROM reprocess_queue JOIN pages p USING (page_id) "
        "ORDER BY p.fetched_at, p.page_id LIMIT ?",
        [limit],
    ).fetchall()
    pages = []
    for row, url, source, fetched_at, content_type, error, listed_at in rows:
        raw = unpack(stored_raw(con, row))
        pages.append(RawPage(
            url, source, fetched_at.replace(tzinfo=UTC), raw, content_type,
            # A page that could not be read has no bytes; its reason stays.
            None if raw else (error or "no content stored"),
            listed_at=listed_at and listed_at.replace(tzinfo=UTC)))
    return pages


def stored_raw(con: Connection, row: int) -> bytes | None:
    """One page's stored bytes (`warehouse.raw_bytes`), by its row. One row at a time:
    any read of more materialises the column 2,048 pages at once."""
    return con.execute("SELECT raw FROM pages WHERE rowid = ?", [row]).fetchall()[0][0]


def stored_articles(con: Connection, article_ids: set[str]) -> dict[str, ArticleFacts]:
    if not article_ids:
        return {}
    rows = _joined(con, "SELECT article_id, text, title, site, published_at, seen_at, "
                   "language FROM articles JOIN _ids USING (article_id)",
                   "_ids", "article_id", sorted(article_ids))
    return {r[0]: ArticleFacts(*r) for r in rows}


def group_state(con: Connection, article_ids: set[str]) -> GroupState:
    if not article_ids:
        return GroupState()
    rows = _joined(con, "SELECT i.article_id, coalesce(d.duplicate_of, i.article_id), "
                   "m.event_id, e.first_seen "
                   "FROM _ids i JOIN event_members m USING (article_id) "
                   "LEFT JOIN events e USING (event_id) "
                   "LEFT JOIN near_duplicates d USING (article_id)",
                   "_ids", "article_id", sorted(article_ids))
    return GroupState(
        canonical_of={a: c for a, c, _, _ in rows}, event_of={a: e for a, _, e, _ in rows},
        event_since={e: s for _, _, e, s in rows if s is not None},
    )


def run_events(con: Connection, run_id: str, limit: int = 200) -> list[dict]:
    """The events a run created or grew, largest first: what the run's artifact shows."""
    rows = con.execute(
        """
        SELECT e.event_id, e.title, e.created_run_id = ? AS new,
               string_agg(DISTINCT a.site, ', ' ORDER BY a.site) AS sites,
               e.n_articles, e.n_copies, e.first_seen, e.last_seen
        FROM events e JOIN event_members m USING (event_id) JOIN articles a USING (article_id)
        WHERE e.updated_run_id = ?
        GROUP BY ALL ORDER BY e.n_articles DESC, e.first_seen, e.event_id LIMIT ?
        """,
        [run_id, run_id, limit],
    ).fetchall()
    keys = ["event_id", "title", "new", "sites", "articles", "copies", "first_seen", "last_seen"]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def events_since(con: Connection, days: float) -> list[dict]:
    """Events seen in the last `days` days, each with its articles (largest first):
    the question users ask every morning. An article's `published_at` is what its page
    says, None when it says nothing (then `seen_at` orders it): a run's own clock in
    that column would date a 2024 story to the day it was crawled."""
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
    return _dicts(con.execute(
        """
        SELECT e.event_id, e.title AS event_title, e.n_articles, e.n_sites, e.n_copies,
               e.first_seen, e.last_seen, a.article_id, a.url, a.site, a.title,
               a.published_at, a.seen_at, d.duplicate_of AS copy_of
        FROM events e
        JOIN event_members m USING (event_id)
        JOIN articles a USING (article_id)
        LEFT JOIN near_duplicates d USING (article_id)
        WHERE e.last_seen >= ?
        ORDER BY e.n_articles DESC, e.event_id, coalesce(a.published_at, a.seen_at),
                 a.article_id
        """,
        [cutoff],
    ))


def copies_of_url(con: Connection, url: str) -> list[dict]:
    """Every article of the copy group a URL's article belongs to (the URL as read or
    as the page's canonical URL), the group's canonical article first."""
    return _dicts(con.execute(
        """
        WITH canon AS (
            SELECT DISTINCT coalesce(d.duplicate_of, a.article_id) AS canonical
            FROM articles a LEFT JOIN near_duplicates d USING (article_id)
            WHERE a.url = ? OR a.canonical_url = ?
        ), members AS (
            SELECT canonical AS article_id, canonical, NULL::DOUBLE AS similarity FROM canon
            UNION ALL
            SELECT d.article_id, d.duplicate_of, d.similarity
            FROM near_duplicates d JOIN canon c ON d.duplicate_of = c.canonical
        )
        SELECT m.canonical, m.article_id, m.article_id = m.canonical AS is_canonical,
               m.similarity, a.url, a.site, a.title, a.seen_at
        FROM members m JOIN articles a USING (article_id)
        ORDER BY m.canonical, is_canonical DESC, a.seen_at, m.article_id
        """,
        [url, url],
    ))


def _dicts(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def warehouse_totals(con: Connection) -> dict[str, int]:
    """Whole-warehouse counts for the end-of-run summary."""
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles),
               (SELECT count(*) FROM near_duplicates),
               (SELECT count(DISTINCT duplicate_of) FROM near_duplicates),
               (SELECT count(*) FROM events),
               (SELECT count(*) FROM events WHERE n_articles > 1)
        """
    ).fetchall()[0]
    keys = ["pages", "articles", "copies", "copy_groups", "events", "multi_article_events"]
    return dict(zip(keys, row, strict=True))


# Each query counts rows that break one rule of a consistent warehouse; 0 everywhere
# means no half-written batch, no orphan and no duplicate is visible.
INTEGRITY_RULES: dict[str, str] = {
    "articles without their page":
        "SELECT count(*) FROM articles a ANTI JOIN pages p USING (page_id)",
    "pages with two articles":
        "SELECT count(*) FROM (SELECT page_id FROM articles GROUP BY page_id "
        "HAVING count(*) > 1)",
    "pages with neither an article nor an error":
        "SELECT count(*) FROM pages p ANTI JOIN articles a USING (page_id) "
        "ANTI JOIN reprocess_queue q USING (page_id) WHERE p.error IS NULL",
    "articles without a fingerprint":
        "SELECT count(*) FROM articles a ANTI JOIN fingerprints f USING (article_id)",
    "fingerprints without an article":
        "SELECT count(*) FROM fingerprints f ANTI JOIN articles a USING (article_id)",
    "band keys without a fingerprint":
        "SELECT count(*) FROM (SELECT article_key FROM copy_bands UNION ALL "
        "SELECT article_key FROM event_bands) b ANTI JOIN fingerprints f "
        "ON b.article_key = ('0x' || f.article_id)::UBIGINT",
    # a bucket missing here would hide its articles from undated articles' lookups
    "event band time buckets not listed":
        f"SELECT count(DISTINCT band_key >> {KEY_BITS}) FROM event_bands b "
        f"ANTI JOIN event_buckets l ON b.band_key >> {KEY_BITS} = l.bucket",
    "articles in no event":
        "SELECT count(*) FROM articles a ANTI JOIN event_members m USING (article_id)",
    "event members without an article":
        "SELECT count(*) FROM event_members m ANTI JOIN articles a USING (article_id)",
    "event members of a missing event":
        "SELECT count(*) FROM event_members m ANTI JOIN events e USING (event_id)",
    "events whose article count is wrong":
        "SELECT count(*) FROM events e LEFT JOIN (SELECT event_id, count(*) AS n "
        "FROM event_members GROUP BY event_id) m USING (event_id) "
        "WHERE e.n_articles IS DISTINCT FROM coalesce(m.n, 0)",
    "copies of a missing article":
        "SELECT count(*) FROM near_duplicates d ANTI JOIN articles a "
        "ON a.article_id = d.duplicate_of",
    "links to a missing article":
        "SELECT count(*) FROM links l WHERE l.article_id NOT IN (SELECT article_id FROM articles) "
        "OR l.other_id NOT IN (SELECT article_id FROM articles)",
    "rows of a run that was never recorded":
        "SELECT count(*) FROM pages p ANTI JOIN runs r USING (run_id)",
    "completed runs without an end time":
        "SELECT count(*) FROM runs WHERE status = 'completed' AND finished_at IS NULL",
}


# Keys the writes keep unique without an index (v8): rows beyond the first of a key.
INTEGRITY_RULES |= {
    f"{table} rows whose key is stored twice":
        f"SELECT count(*) - count(DISTINCT ({', '.join(KEYS[table])})) FROM {table}"
    for table in UNINDEXED_KEYS
}


def integrity_problems(con: Connection) -> dict[str, int]:
    """The rules the warehouse breaks, with the number of rows breaking each."""
    counts = {rule: con.execute(sql).fetchall()[0][0] for rule, sql in INTEGRITY_RULES.items()}
    return {rule: n for rule, n in counts.items() if n}


# What a warehouse holds of the work, independent of when and by which runs it was
# done: two warehouses with equal snapshots answer every question alike.
SNAPSHOT_QUERIES: dict[str, str] = {
    "pages": "SELECT page_id, url, error FROM pages",
    "articles": "SELECT article_id, page_id, title, text, published_at, language FROM articles",
    "events": "SELECT article_id, event_id FROM event_members",
    "copies": "SELECT article_id, duplicate_of FROM near_duplicates",
    "links": "SELECT article_id, other_id, kind FROM links",
    "fingerprints": "SELECT article_id, copy_minhash, event_minhash FROM fingerprints",
    "bands": "SELECT (SELECT count(*) FROM copy_bands), (SELECT count(*) FROM event_bands)",
    "terms": "SELECT count(*), sum(df) FROM term_df",
    "site_samples": "SELECT site, article_id, line_keys FROM site_samples",
    "template_lines": "SELECT site, line, articles FROM template_lines",
}


def content_snapshot(con: Connection) -> dict[str, list[tuple]]:
    return {name: sorted(con.execute(sql).fetchall(), key=repr)
            for name, sql in SNAPSHOT_QUERIES.items()}
