"""Every read the pipeline makes of the warehouse."""

from __future__ import annotations

import pyarrow as pa
from duckdb import DuckDBPyConnection as Connection

from dedupe.grouping import GroupState
from dedupe.records import ArticleFacts, Fingerprint
from dedupe.terms import TermStats
from warehouse.batch import band_rows


def known_page_ids(con: Connection, page_ids: list[str]) -> set[str]:
    if not page_ids:
        return set()
    con.register("_ids", pa.table({"page_id": page_ids}))
    try:
        rows = con.execute("SELECT page_id FROM pages JOIN _ids USING (page_id)").fetchall()
    finally:
        con.unregister("_ids")
    return {r[0] for r in rows}


def term_stats(con: Connection, terms: set[str]) -> TermStats:
    """Document frequencies of the given terms, over every article indexed so far."""
    n_docs = con.execute("SELECT count(*) FROM fingerprints").fetchall()[0][0]
    if not terms:
        return TermStats(n_docs, {})
    con.register("_terms", pa.table({"term": sorted(terms)}))
    try:
        rows = con.execute("SELECT term, df FROM term_df JOIN _terms USING (term)").fetchall()
    finally:
        con.unregister("_terms")
    return TermStats(n_docs, dict(rows))


def band_matches(
    con: Connection, fingerprints: list[Fingerprint]
) -> set[tuple[str, str]]:
    """(new article, stored article) pairs that share a copy or event band key."""
    keys = band_rows(fingerprints)
    if keys.num_rows == 0:
        return set()
    con.register("_keys", keys)
    try:
        rows = con.execute(
            "SELECT DISTINCT k.article_id, b.article_id FROM _keys k "
            "JOIN lsh_bands b USING (index_name, band_key) WHERE b.article_id <> k.article_id"
        ).fetchall()
    finally:
        con.unregister("_keys")
    return {(a, b) for a, b in rows}


def stored_articles(con: Connection, article_ids: set[str]) -> dict[str, ArticleFacts]:
    if not article_ids:
        return {}
    con.register("_ids", pa.table({"article_id": sorted(article_ids)}))
    try:
        rows = con.execute(
            "SELECT article_id, text, title, site, published_at, seen_at, language "
            "FROM articles JOIN _ids USING (article_id)"
        ).fetchall()
    finally:
        con.unregister("_ids")
    return {r[0]: ArticleFacts(*r) for r in rows}


def group_state(con: Connection, article_ids: set[str]) -> GroupState:
    if not article_ids:
        return GroupState()
    con.register("_ids", pa.table({"article_id": sorted(article_ids)}))
    try:
        rows = con.execute(
            "SELECT i.article_id, coalesce(d.duplicate_of, i.article_id), m.event_id "
            "FROM _ids i JOIN event_members m USING (article_id) "
            "LEFT JOIN near_duplicates d USING (article_id)"
        ).fetchall()
    finally:
        con.unregister("_ids")
    return GroupState(
        canonical_of={a: c for a, c, _ in rows}, event_of={a: e for a, _, e in rows}
    )


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
