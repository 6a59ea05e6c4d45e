"""Every write to the warehouse. Bulk through Arrow tables, one transaction per batch,
and idempotent on each table's key, so a batch written twice leaves one copy."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pyarrow as pa
from duckdb import DuckDBPyConnection as Connection

from dedupe.grouping import EventMerge
from extract.templates import SiteSample, template_site
from warehouse.batch import BatchWrite, band_rows
from warehouse.connection import registered, room_for, transaction
from warehouse.raw_bytes import pack
from warehouse.reads import known_ids
from warehouse.schema import KEYS


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _naive(ts: datetime | None) -> datetime | None:
    # The warehouse stores UTC wall-clock TIMESTAMPs.
    if ts is None or ts.tzinfo is None:
        return ts
    return ts.astimezone(UTC).replace(tzinfo=None)


def start_run(
    con: Connection, run_id: str, flow_run_id: str | None, sources: list[str]
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, status, sources) "
        "VALUES (?, ?, ?, 'running', ?)",
        [run_id, flow_run_id, _now(), sources],
    )


def finish_run(
    con: Connection,
    run_id: str,
    status: str,
    counts: dict[str, int],
    error: str | None = None,
) -> None:
    columns = ["pages_read", "pages_new", "pages_unchanged", "pages_failed", "articles",
               "boilerplate_lines", "copies", "copy_groups", "events_new", "events_touched",
               "events_merged", "template_lines"]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    con.execute(
        f"UPDATE runs SET finished_at = ?, status = ?, error = ?, {assignments} WHERE run_id = ?",
        [_now(), status, error, *[counts.get(c, 0) for c in columns], run_id],
    )


def _insert(con: Connection, table: str, rows: pa.Table) -> None:
    """The rows whose key (`KEYS`) is not stored yet, each key once."""
    if rows.num_rows == 0:
        return
    with registered(con, _incoming=rows):
        cols, keys = ", ".join(rows.column_names), ", ".join(KEYS[table])
        con.execute(f"INSERT INTO {table} ({cols}) SELECT DISTINCT ON ({keys}) {cols} "
                    f"FROM _incoming ANTI JOIN {table} USING ({keys})")


def _append(con: Connection, table: str, rows: pa.Table) -> None:
    """Rows of a table without a key (the band tables), appended as they are."""
    if rows.num_rows == 0:
        return
    with registered(con, _incoming=rows):
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")


def _pages(batch: BatchWrite) -> pa.Table:
    ex = batch.extractions
    return pa.table(
        {
            "page_id": [e.page.page_id for e in ex],
            "url": [e.page.url for e in ex],
            "source": [e.page.source for e in ex],
            "content_hash": [e.page.content_hash for e in ex],
            "raw": pa.array([pack(e.page.body) for e in ex], pa.binary()),
            "content_type": pa.array([e.page.content_type for e in ex], pa.string()),
            "encoding": pa.array([e.encoding for e in ex], pa.string()),
            "fetched_at": pa.array([_naive(e.page.fetched_at) for e in ex], pa.timestamp("us")),
            "error": pa.array([e.error for e in ex], pa.string()),
            "warning": pa.array([e.warning for e in ex], pa.string()),
            "run_id": [batch.run_id] * len(ex),
            "listed_at": pa.array([_naive(e.page.listed_at) for e in ex], pa.timestamp("us")),
        }
    )


def _upsert_http_cache(con: Connection, batch: BatchWrite) -> None:
    pages = [e.page for e in batch.extractions if e.page.etag or e.page.last_modified]
    if not pages:
        return
    rows = pa.table({
        "url": [p.url for p in pages],
        "etag": pa.array([p.etag for p in pages], pa.string()),
        "last_modified": pa.array([p.last_modified for p in pages], pa.string()),
        "page_id": [p.page_id for p in pages],
        "fetched_at": pa.array([_naive(p.fetched_at) for p in pages], pa.timestamp("us")),
    })
    with registered(con, _incoming=rows):
        con.execute(
            "INSERT INTO http_cache SELECT * FROM _incoming ON CONFLICT (url) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified, "
            "page_id = excluded.page_id, fetched_at = excluded.fetched_at"
        )


def _articles(batch: BatchWrite) -> pa.Table:
    pairs = [(e.article, e.page) for e in batch.extractions if e.article is not None]
    arts = [a for a, _ in pairs]
    return pa.table(
        {
            "article_id": [a.article_id for a in arts],
            "page_id": [a.page_id for a in arts],
            "url": [a.url for a in arts],
            "canonical_url": pa.array([a.canonical_url for a in arts], pa.string()),
            "title": pa.array([a.title for a in arts], pa.string()),
            "author": pa.array([a.author for a in arts], pa.string()),
            "text": [a.text for a in arts],
            "published_at": pa.array([_naive(a.published_at) for a in arts], pa.timestamp("us")),
            "language": pa.array([a.language for a in arts], pa.string()),
            "site": pa.array([a.site for a in arts], pa.string()),
            "seen_at": pa.array([_naive(p.fetched_at) for _, p in pairs], pa.timestamp("us")),
            "run_id": [batch.run_id] * len(arts),
        }
    )


def _fingerprints(batch: BatchWrite, num_perm: int, seed: int) -> pa.Table:
    fps = batch.fingerprints
    table = pa.table(
        {
            "article_id": [f.article_id for f in fps],
            "num_perm": pa.array([num_perm] * len(fps), pa.int32()),
            "seed": pa.array([seed] * len(fps), pa.int32()),
            "copy_minhash": pa.array([f.copy_signature for f in fps], pa.list_(pa.uint32())),
            "n_shingles": pa.array([f.n_shingles for f in fps], pa.int32()),
            "event_minhash": pa.array([f.event_signature for f in fps], pa.list_(pa.uint32())),
            "salient_terms": pa.array([list(f.salient_terms) for f in fps], pa.list_(pa.string())),
        }
    )
    return table


# What is derived from stored pages, and rebuilt from them by `reprocess`.
DERIVED_TABLES = ("articles", "fingerprints", "copy_bands", "event_bands", "event_buckets",
                  "term_df", "links",
                  "near_duplicates", "events", "event_members", "template_lines")


def start_reprocess(con: Connection) -> int:
    """Queue every stored page for extraction again and drop what was derived from
    them, in one transaction. A queue left by an interrupted reprocess is resumed, not
    restarted. Returns the number of queued pages."""
    queued = con.execute("SELECT count(*) FROM reprocess_queue").fetchall()[0][0]
    if queued:
        return queued
    with transaction(con):
        for table in DERIVED_TABLES:
            con.execute(f"DELETE FROM {table}")
        con.execute("INSERT INTO reprocess_queue SELECT page_id FROM pages")
    return con.execute("SELECT count(*) FROM reprocess_queue").fetchall()[0][0]


def _refresh_pages(con: Connection, rows: pa.Table) -> None:
    """A re-extracted page keeps its row; what extraction says of it is updated."""
    with registered(con, _incoming=rows.select(["page_id", "encoding", "error", "warning"])):
        con.execute(
            "UPDATE pages SET encoding = i.encoding, error = i.error, warning = i.warning "
            "FROM _incoming i WHERE pages.page_id = i.page_id"
        )
        con.execute("DELETE FROM reprocess_queue WHERE page_id IN "
                    "(SELECT page_id FROM _incoming)")


def mark_interrupted_runs(con: Connection) -> int:
    """Runs left 'running' by a process that died. Called only while holding the
    warehouse's run lock, so no live run can be among them."""
    rows = con.execute(
        "UPDATE runs SET status = 'interrupted', finished_at = ?, "
        "error = 'the process ended before the run finished (killed or crashed); "
        "its finished batches are kept and the next run did the rest' "
        "WHERE status = 'running' RETURNING run_id",
        [_now()],
    ).fetchall()
    return len(rows)


def write_batch(
    con: Connection,
    batch: BatchWrite,
    num_perm: int,
    seed: int,
    before_commit: Callable[[], None] | None = None,
) -> None:
    """All rows of one batch, or none of them."""
    pages, articles = _pages(batch), _articles(batch)
    payload = pages.nbytes + articles.nbytes  # nearly all of the batch's bytes
    # DuckDB holds them until the commit, and once more as the insert reads them; and a
    # checkpoint reads them back 2,048 rows at a time. A big batch is checkpointed here,
    # with room for it, not at whichever later commit DuckDB would pick (past 16 MB,
    # its own threshold, it would checkpoint soon anyway).
    with room_for(con, 2 * payload):
        _write(con, batch, pages, articles, num_perm, seed, before_commit)
        if payload > BIG_BATCH_BYTES:
            con.execute("CHECKPOINT")


BIG_BATCH_BYTES = 16 * 2**20


def _write(con: Connection, batch: BatchWrite, pages: pa.Table, articles: pa.Table,
           num_perm: int, seed: int, before_commit: Callable[[], None] | None) -> None:
    with transaction(con):
        if batch.reprocessed:
            _refresh_pages(con, pages)
        else:
            _insert(con, "pages", pages)
        _insert(con, "articles", articles)
        _upsert_http_cache(con, batch)
        fps = _fingerprints(batch, num_perm, seed)
        if fps.num_rows:
            # Bands only for articles not indexed yet, so a retried batch adds none twice.
            indexed = known_ids(con, "fingerprints", "article_id", fps["article_id"].to_pylist())
            new = [f for f in batch.fingerprints if f.article_id not in indexed]
            bands = band_rows(new)
            for table in ("copy_bands", "event_bands"):
                _append(con, table, bands[table])
            _insert(con, "event_buckets", bands["event_buckets"])
            _insert(con, "fingerprints", fps)
            merge_term_counts(con, batch.term_df)
        _insert(con, "links", _links(batch))
        replace_site_samples(con, batch.site_samples)
        count_template_lines(con, batch)
        if batch.grouping is not None:
            _write_grouping(con, batch)
        if before_commit is not None:
            before_commit()


def replace_site_samples(con: Connection, samples: dict[str, tuple[SiteSample, ...]]) -> None:
    """Each of these sites' template sample, in place of the stored one."""
    if not samples:
        return
    sites = sorted(samples)
    rows = pa.table({
        "site": [site for site in sites for _ in samples[site]],
        "position": pa.array([i for site in sites for i in range(len(samples[site]))],
                             pa.int32()),
        "article_id": [s.article_id for site in sites for s in samples[site]],
        "line_keys": pa.array([sorted(s.line_keys) for site in sites for s in samples[site]],
                              pa.list_(pa.uint64())),
    })
    with registered(con, _sites=pa.table({"site": sites})):
        con.execute("DELETE FROM site_samples WHERE site IN (SELECT site FROM _sites)")
    _append(con, "site_samples", rows)


def count_template_lines(con: Connection, batch: BatchWrite) -> None:
    """The batch's dropped template lines, each counted once per article."""
    counts: Counter[tuple[str, str]] = Counter()
    for e in batch.extractions:
        if e.article is not None and e.template_lines:
            site = template_site(e.page.url) or ""
            counts.update((site, line) for line in set(e.template_lines))
    if not counts:
        return
    rows = pa.table({"site": [s for s, _ in counts], "line": [line for _, line in counts],
                     "articles": pa.array(list(counts.values()), pa.int32()),
                     "first_run_id": [batch.run_id] * len(counts)})
    with registered(con, _incoming=rows):
        con.execute(
            "INSERT INTO template_lines SELECT site, line, articles, first_run_id FROM _incoming "
            "ON CONFLICT (site, line) DO UPDATE SET articles = template_lines.articles "
            "+ excluded.articles")


def merge_term_counts(con: Connection, df: Counter) -> None:
    """Add document frequencies (term -> documents) to the stored ones."""
    if not df:
        return
    rows = pa.table({"term": list(df), "df": pa.array(list(df.values()), pa.int32())})
    with registered(con, _incoming=rows):
        con.execute(
            "INSERT INTO term_df SELECT term, df FROM _incoming "
            "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df"
        )


def _links(batch: BatchWrite) -> pa.Table:
    links = batch.links
    return pa.table(
        {
            "article_id": [lk.article_id for lk in links],
            "other_id": [lk.other_id for lk in links],
            "kind": [lk.kind.value for lk in links],
            "score": pa.array([lk.score for lk in links], pa.float64()),
            "evidence": [json.dumps(lk.evidence, ensure_ascii=False) for lk in links],
            "run_id": [batch.run_id] * len(links),
        }
    )


def _write_grouping(con: Connection, batch: BatchWrite) -> None:
    g = batch.grouping
    merge_events(con, g.merges, batch.run_id)
    _insert(
        con,
        "near_duplicates",
        pa.table(
            {
                "article_id": [a for a, _, _ in g.near_duplicates],
                "duplicate_of": [c for _, c, _ in g.near_duplicates],
                "similarity": pa.array([s for _, _, s in g.near_duplicates], pa.float64()),
                "run_id": [batch.run_id] * len(g.near_duplicates),
            }
        ),
    )
    _insert(
        con,
        "event_members",
        pa.table(
            {
                "article_id": [a for _, a in g.event_members],
                "event_id": [e for e, _ in g.event_members],
                "run_id": [batch.run_id] * len(g.event_members),
            }
        ),
    )
    refresh_events(con, sorted(g.touched_events), batch.run_id)


def merge_events(con: Connection, merges: list[EventMerge], run_id: str) -> None:
    """Fold each merged event into its survivor: record the merge, move the members,
    drop the merged event's row (the caller refreshes the survivor's)."""
    if not merges:
        return
    rows = pa.table({
        "event_id": [m.event_id for m in merges],
        "survivor_id": [m.survivor_id for m in merges],
        "article_id": [m.article_id for m in merges],
        "evidence": [json.dumps({"scores": m.scores}) for m in merges],
        "merged_at": pa.array([_now()] * len(merges), pa.timestamp("us")),
        "run_id": [run_id] * len(merges),
    })
    _insert(con, "event_merges", rows)
    with registered(con, _merged=rows.select(["event_id", "survivor_id"])):
        # Earlier merges into an event merged now point at its survivor: one hop always.
        con.execute("UPDATE event_merges SET survivor_id = m.survivor_id FROM _merged m "
                    "WHERE event_merges.survivor_id = m.event_id")
        con.execute("UPDATE event_members SET event_id = m.survivor_id FROM _merged m "
                    "WHERE event_members.event_id = m.event_id")
        con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM _merged)")


def refresh_events(con: Connection, event_ids: list[str], run_id: str) -> None:
    """Recompute the summary row of each touched event from its members: the stored
    rows updated, the new events' rows inserted (events has no key index: v8)."""
    if not event_ids:
        return
    with registered(con, _touched=pa.table({"event_id": event_ids})):
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _summaries AS
            SELECT m.event_id,
                   arg_min_null(a.title, (coalesce(a.published_at, a.seen_at),
                                          a.article_id)) AS title,
                   arg_min(a.article_id, (coalesce(a.published_at, a.seen_at), a.article_id))
                       AS first_article,
                   min(coalesce(a.published_at, a.seen_at)) AS first_seen,
                   max(coalesce(a.published_at, a.seen_at)) AS last_seen,
                   count(*) AS n_articles,
                   count(DISTINCT a.site) AS n_sites,
                   count(d.article_id) AS n_copies
            FROM event_members m
            JOIN _touched t USING (event_id)
            JOIN articles a USING (article_id)
            LEFT JOIN near_duplicates d USING (article_id)
            GROUP BY m.event_id
            """
        )
    # An event's title is its first article's, else that article's opening words. The
    # text is read only for those: a join that reads `articles.text` reads it 2,048
    # rows at a time, which for long texts is more than the run's memory.
    untitled = con.execute("SELECT first_article FROM _summaries WHERE title IS NULL "
                           "ORDER BY first_article").fetchall()
    for (article_id,) in untitled:
        con.execute("UPDATE _summaries SET title = (SELECT left(text, 120) FROM articles "
                    "WHERE article_id = $id) WHERE first_article = $id", {"id": article_id})
    con.execute("ALTER TABLE _summaries DROP COLUMN first_article")
    con.execute(
        "UPDATE events SET title = s.title, first_seen = s.first_seen, "
        "last_seen = s.last_seen, n_articles = s.n_articles, n_sites = s.n_sites, "
        "n_copies = s.n_copies, updated_run_id = ? "
        "FROM _summaries s WHERE events.event_id = s.event_id", [run_id])
    con.execute(
        "INSERT INTO events BY NAME SELECT s.*, ? AS created_run_id, ? AS updated_run_id "
        "FROM _summaries s ANTI JOIN events USING (event_id)", [run_id, run_id])
    con.execute("DROP TABLE _summaries")
