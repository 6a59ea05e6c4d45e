"""The warehouse's tables, declared once, with the schema version they belong to.

Keys and write dispositions follow dlt's habit: every table says what identifies a row
(`KEYS`), and writes are append-or-ignore on that key (idempotent), except the few
tables that are merged (events, term_df).

The tables that grow by a row or more per article keep their keys unique without a
PRIMARY KEY (v8): their writes insert only the keys not stored yet (an anti-join), and
`warehouse.reads.INTEGRITY_RULES` checks that no key is stored twice. A DuckDB key
index on such a table is loaded whole by the first insert of a batch and stays in
memory until the next checkpoint: their ids are hashes, so a batch's 200 new keys
land all over the index. That was ~44 MB a table per million articles, ~180 MB at a
million over the four one-row-per-article tables, growing with the warehouse without
bound; the anti-join scans one column instead (15-25 ms a table at a million rows,
against 50-80 ms for the keyed insert with its index loaded).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
from duckdb import DuckDBPyConnection

from dedupe.lsh import BUCKET_DAYS, EPOCH_BUCKET, KEY_BITS, KEY_MASK, LAST_BUCKET, UNDATED_BUCKET
from warehouse.raw_bytes import pack

SCHEMA_VERSION = 12

TABLES: dict[str, str] = {
    "schema_version": """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""",
    "runs": """
        CREATE TABLE IF NOT EXISTS runs (
            run_id            VARCHAR PRIMARY KEY,
            flow_run_id       VARCHAR,
            started_at        TIMESTAMP NOT NULL,
            finished_at       TIMESTAMP,
            status            VARCHAR NOT NULL,   -- running | completed | failed
            sources           VARCHAR[],
            pages_read        INTEGER,
            pages_new         INTEGER,
            pages_unchanged   INTEGER,
            pages_failed      INTEGER,
            articles          INTEGER,
            boilerplate_lines INTEGER,
            copies            INTEGER,
            copy_groups       INTEGER,
            events_new        INTEGER,
            events_touched    INTEGER,
            error             VARCHAR,
            events_merged     INTEGER,            -- since v5
            template_lines    INTEGER             -- site template lines dropped (v7)
        )""",
    "pages": """
        CREATE TABLE IF NOT EXISTS pages (
            -- hash of (url, content_hash), so unique per (url, content) too. (v1 and v2
            -- also had UNIQUE (url, content_hash): DuckDB rebuilds such an index when it
            -- opens the file, which made every batch's insert grow with the table.)
            page_id      VARCHAR NOT NULL,         -- key (v8: unenforced)
            url          VARCHAR NOT NULL,
            source       VARCHAR,
            content_hash VARCHAR NOT NULL,
            -- as read, so a better extractor can redo it; each page compressed on its
            -- own, not by DuckDB (v12: warehouse/raw_bytes.py)
            raw          BLOB USING COMPRESSION uncompressed,
            content_type VARCHAR,
            encoding     VARCHAR,
            fetched_at   TIMESTAMP NOT NULL,
            error        VARCHAR,              -- null when the page gave an article
            warning      VARCHAR,              -- e.g. cut at the size cap (since v2)
            run_id       VARCHAR NOT NULL,
            -- the publication date the feed or sitemap listing the page gave (UTC; v11):
            -- the article's date when the page shows none, kept for re-extraction
            listed_at    TIMESTAMP
        )""",
    "articles": """
        CREATE TABLE IF NOT EXISTS articles (
            article_id    VARCHAR NOT NULL,        -- key (v8: unenforced)
            page_id       VARCHAR NOT NULL,
            url           VARCHAR NOT NULL,
            canonical_url VARCHAR,
            title         VARCHAR,
            author        VARCHAR,
            -- paragraphs separated by blank lines; never ZSTD (v9: see MIGRATIONS)
            text          VARCHAR NOT NULL USING COMPRESSION dict_fsst,
            published_at  TIMESTAMP,
            language      VARCHAR,
            site          VARCHAR,
            seen_at       TIMESTAMP NOT NULL,
            run_id        VARCHAR NOT NULL
        )""",
    "fingerprints": """
        CREATE TABLE IF NOT EXISTS fingerprints (
            article_id    VARCHAR NOT NULL,        -- key (v8: unenforced)
            num_perm      INTEGER NOT NULL,
            seed          INTEGER NOT NULL,
            copy_minhash  UINTEGER[] NOT NULL,
            n_shingles    INTEGER NOT NULL,     -- word n-grams in the text, repeats counted
            event_minhash UINTEGER[] NOT NULL,
            salient_terms VARCHAR[] NOT NULL
        )""",
    # The LSH index, one table per index (v6): a lookup joins on the band key alone,
    # and a one-column BIGINT join over 160 M rows is twice as fast as one on
    # (index_name, band_key) was.
    "copy_bands": """
        CREATE TABLE IF NOT EXISTS copy_bands (
            band_key    BIGINT NOT NULL,
            -- the article id as a number: ('0x' || article_id)::UBIGINT. A lookup
            -- scans this column; as a string (v1-v3) it made the scan 5x slower.
            article_key UBIGINT NOT NULL
        )""",
    "event_bands": """
        CREATE TABLE IF NOT EXISTS event_bands (
            -- the publication day's time bucket in the top 16 bits (v10): a lookup
            -- asks for its event window's buckets only (dedupe/lsh.py)
            band_key    BIGINT NOT NULL,
            article_key UBIGINT NOT NULL,
            -- the article's publication day (days since 1970-01-01), null when
            -- unknown: a lookup joins only articles within the event window
            day         INTEGER
        )""",
    # The time buckets `event_bands` holds keys in (v10): an undated article's lookup
    # asks for its keys in each of them, and finding them in the band table took a
    # scan of its day column, 0.4 s a batch at a million articles.
    "event_buckets": """
        CREATE TABLE IF NOT EXISTS event_buckets (
            bucket SMALLINT NOT NULL
        )""",
    "term_df": """
        CREATE TABLE IF NOT EXISTS term_df (
            term VARCHAR PRIMARY KEY,
            df   INTEGER NOT NULL
        )""",
    "links": """
        CREATE TABLE IF NOT EXISTS links (
            article_id VARCHAR NOT NULL,
            other_id   VARCHAR NOT NULL,
            kind       VARCHAR NOT NULL,        -- copy | event
            score      DOUBLE NOT NULL,
            evidence   JSON,
            run_id     VARCHAR NOT NULL
            -- key: (article_id, other_id, kind) (v8: unenforced)
        )""",
    "near_duplicates": """
        CREATE TABLE IF NOT EXISTS near_duplicates (
            article_id   VARCHAR NOT NULL,       -- key (v8: unenforced)
            duplicate_of VARCHAR NOT NULL,       -- the canonical article of the copy group
            similarity   DOUBLE NOT NULL,
            run_id       VARCHAR NOT NULL
        )""",
    "events": """
        CREATE TABLE IF NOT EXISTS events (
            event_id       VARCHAR NOT NULL,     -- key (v8: unenforced)
            title          VARCHAR,
            first_seen     TIMESTAMP,
            last_seen      TIMESTAMP,
            n_articles     INTEGER NOT NULL,
            n_sites        INTEGER NOT NULL,
            n_copies       INTEGER NOT NULL,
            created_run_id VARCHAR NOT NULL,
            updated_run_id VARCHAR NOT NULL
        )""",
    "http_cache": """
        CREATE TABLE IF NOT EXISTS http_cache (
            url           VARCHAR PRIMARY KEY,   -- as configured (before redirects)
            etag          VARCHAR,               -- validators for the next conditional GET
            last_modified VARCHAR,
            page_id       VARCHAR NOT NULL,      -- the page the validators describe
            fetched_at    TIMESTAMP NOT NULL
        )""",
    "reprocess_queue": """
        CREATE TABLE IF NOT EXISTS reprocess_queue (
            page_id VARCHAR PRIMARY KEY          -- stored pages still to re-extract (v2)
        )""",
    "event_merges": """
        CREATE TABLE IF NOT EXISTS event_merges (
            -- an event absorbed into another (v5): its members moved to survivor_id, its
            -- events row is gone. Always points at the current survivor, so one join
            -- maps any id a user kept to the event that holds its articles now.
            event_id    VARCHAR PRIMARY KEY,
            survivor_id VARCHAR NOT NULL,
            article_id  VARCHAR NOT NULL,     -- the article that linked the two
            evidence    JSON,                 -- each event's link score from it
            merged_at   TIMESTAMP NOT NULL,
            run_id      VARCHAR NOT NULL
        )""",
    "site_samples": """
        CREATE TABLE IF NOT EXISTS site_samples (
            -- each site's latest distinct articles (copies are not sampled), as the
            -- keys of their lines: what the site's template is learned from (v7;
            -- extract/templates.py). A batch replaces the rows of the sites it saw.
            site       VARCHAR NOT NULL,      -- host, or folder for files
            position   INTEGER NOT NULL,      -- 0: the oldest kept
            article_id VARCHAR NOT NULL,
            line_keys  UBIGINT[] NOT NULL
        )""",
    "template_lines": """
        CREATE TABLE IF NOT EXISTS template_lines (
            -- the lines dropped from a site's articles as its template (v7), readable:
            -- site_samples holds only keys
            site       VARCHAR NOT NULL,
            line       VARCHAR NOT NULL,
            articles   INTEGER NOT NULL,      -- articles it was dropped from
            first_run_id VARCHAR NOT NULL,
            PRIMARY KEY (site, line)
        )""",
    "event_members": """
        CREATE TABLE IF NOT EXISTS event_members (
            article_id VARCHAR NOT NULL,       -- key (v8: unenforced)
            event_id   VARCHAR NOT NULL,
            run_id     VARCHAR NOT NULL
        )""",
}

# What identifies a row of each table that writes append to: a write inserts only rows
# whose key is not stored yet (`warehouse.writes`).
KEYS: dict[str, tuple[str, ...]] = {
    "pages": ("page_id",),
    "articles": ("article_id",),
    "fingerprints": ("article_id",),
    "links": ("article_id", "other_id", "kind"),
    "near_duplicates": ("article_id",),
    "events": ("event_id",),
    "event_members": ("article_id",),
    "event_merges": ("event_id",),
    "event_buckets": ("bucket",),
}
# The tables whose key has no index (v8), rebuilt without one by the migration.
UNINDEXED_KEYS = ("pages", "articles", "fingerprints", "links", "near_duplicates", "events",
                  "event_members")


def _rebuilt(table: str) -> list[str]:
    """A table made again as TABLES declares it, every row copied."""
    create = TABLES[table].replace(f"TABLE IF NOT EXISTS {table} ", f"TABLE {table}_new ")
    assert create != TABLES[table], table
    return [
        create,
        f"INSERT INTO {table}_new BY NAME SELECT * FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE {table}_new RENAME TO {table}",
    ]


def _packed_raw(con: DuckDBPyConnection) -> None:
    """v12: `pages` made again, each page's raw bytes compressed on their own
    (`warehouse.raw_bytes`). The old table is read in one pass (on a cursor, as the new
    one is written) with DuckDB's default memory limit, 80 % of the machine's: an old
    ZSTD vector is unpacked 2,048 pages at once, and read a row at a time it was unpacked
    again for each row (161 ms a page on 974 news pages)."""
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute("RESET memory_limit")
    con.execute(TABLES["pages"].replace("TABLE IF NOT EXISTS pages ", "TABLE pages_new "))
    with con.cursor() as old:
        for batch in old.sql("SELECT * FROM pages").to_arrow_reader(500):
            raw = batch.column("raw").to_pylist()
            rows = pa.Table.from_batches([batch]).drop_columns(["raw"]).append_column(
                "raw", pa.array([pack(r) for r in raw], pa.binary()))
            con.register("_packed", rows)
            con.execute("INSERT INTO pages_new BY NAME SELECT * FROM _packed")
            con.unregister("_packed")
    con.execute("DROP TABLE pages")
    con.execute("ALTER TABLE pages_new RENAME TO pages")
    con.execute("SET memory_limit = $limit", {"limit": limit})


# Migrations from version N to N+1, run in order inside one transaction. A new
# warehouse is made from TABLES directly; an older one is brought up by these steps,
# in place, keeping every row. A step is a statement, or a function of the connection
# where SQL alone cannot do it.
MIGRATIONS: dict[int, list[str | Callable[[DuckDBPyConnection], None]]] = {
    1: [
        "ALTER TABLE pages ADD COLUMN warning VARCHAR",
        "CREATE TABLE reprocess_queue (page_id VARCHAR PRIMARY KEY)",
        "CREATE TABLE http_cache (url VARCHAR PRIMARY KEY, etag VARCHAR, "
        "last_modified VARCHAR, page_id VARCHAR NOT NULL, fetched_at TIMESTAMP NOT NULL)",
    ],
    2: [
        # pages without the redundant UNIQUE (url, content_hash): a new table, rows copied.
        TABLES["pages"].replace("TABLE IF NOT EXISTS pages", "TABLE pages_v3"),
        "INSERT INTO pages_v3 BY NAME SELECT * FROM pages",
        "DROP TABLE pages",
        "ALTER TABLE pages_v3 RENAME TO pages",
    ],
    3: [
        "CREATE TABLE lsh_bands_v4 (index_name VARCHAR NOT NULL, band_key BIGINT NOT NULL, "
        "article_key UBIGINT NOT NULL, day INTEGER)",
        "INSERT INTO lsh_bands_v4 SELECT b.index_name, b.band_key, "
        "('0x' || b.article_id)::UBIGINT, CASE WHEN b.index_name = 'event' "
        "THEN a.published_at::DATE - DATE '1970-01-01' END "
        "FROM lsh_bands b LEFT JOIN articles a USING (article_id)",
        "DROP TABLE lsh_bands",
        "ALTER TABLE lsh_bands_v4 RENAME TO lsh_bands",
    ],
    4: [
        "ALTER TABLE runs ADD COLUMN events_merged INTEGER",
        TABLES["event_merges"],
    ],
    5: [
        TABLES["copy_bands"],
        "INSERT INTO copy_bands SELECT band_key, article_key FROM lsh_bands "
        "WHERE index_name = 'copy'",
        TABLES["event_bands"],
        "INSERT INTO event_bands SELECT band_key, article_key, day FROM lsh_bands "
        "WHERE index_name = 'event'",
        "DROP TABLE lsh_bands",
    ],
    6: [
        "ALTER TABLE runs ADD COLUMN template_lines INTEGER",
        TABLES["site_samples"],
        TABLES["template_lines"],
    ],
    7: [statement for table in UNINDEXED_KEYS for statement in _rebuilt(table)],
    # `articles.text` names its compression. DuckDB's own choice for long strings is
    # ZSTD, which decompresses a column segment whole to read one value of it, and a
    # segment holds up to a row group (122,880 rows). Each batch reads the texts of a
    # few hundred stored articles, its candidates: each read decompressed the whole
    # column, 82 ms at 5,837 news articles, ~1 s per row group touched at a million.
    # DICT_FSST reads by the vector; a segment it cannot compress (long texts) DuckDB
    # stores uncompressed, read by the vector too: 2.9x ZSTD's bytes for that column.
    8: _rebuilt("articles"),
    # Event band keys gain their article's time bucket (`dedupe.lsh.bucketed_keys`).
    9: [
        TABLES["event_bands"].replace("TABLE IF NOT EXISTS event_bands ",
                                      "TABLE event_bands_new "),
        "INSERT INTO event_bands_new SELECT "
        f"(CASE WHEN day IS NULL THEN {UNDATED_BUCKET} ELSE least(greatest("
        f"floor(day / {BUCKET_DAYS})::BIGINT + {EPOCH_BUCKET}, 1), {LAST_BUCKET}) "
        f"END << {KEY_BITS}) | (band_key & {KEY_MASK}), article_key, day FROM event_bands",
        "DROP TABLE event_bands",
        "ALTER TABLE event_bands_new RENAME TO event_bands",
        TABLES["event_buckets"],
        f"INSERT INTO event_buckets SELECT DISTINCT band_key >> {KEY_BITS} FROM event_bands",
    ],
    # Pages keep the date their feed or sitemap entry gave. (IF NOT EXISTS: the steps
    # above that rebuild `pages` make it as TABLES declares it now, column included.)
    10: ["ALTER TABLE pages ADD COLUMN IF NOT EXISTS listed_at TIMESTAMP"],
    11: [_packed_raw],
}
