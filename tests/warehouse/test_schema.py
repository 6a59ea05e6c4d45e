import gzip
import random
import re
from pathlib import Path

import duckdb
import numpy as np
import pytest

from dedupe import DedupeSettings, Fingerprint
from extract.records import stable_id
from warehouse import SCHEMA_VERSION, BatchWrite, connect, reads, writes
from warehouse.schema import TABLES


def test_new_warehouse_has_every_table_and_the_version(tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    assert set(TABLES) <= tables
    assert version == SCHEMA_VERSION


def test_opening_twice_does_not_redo_the_schema(tmp_path):
    db = tmp_path / "w.duckdb"
    for _ in range(2):
        with connect(db):
            pass
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchall()[0][0] == 1


def test_read_only_connection_refuses_writes(tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db):
        pass
    with connect(db, read_only=True) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM runs")


def test_newer_warehouse_than_the_code_is_refused(tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION + 1])
    with pytest.raises(RuntimeError, match="newer"), connect(db):
        pass


FIXTURE_V1 = Path(__file__).parents[1] / "fixtures" / "warehouse-v1.duckdb.gz"


def _columns(con) -> set[tuple]:
    """Every table's columns, key/unique constraints and the compressions it names."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
    ).fetchall()
    keys = con.execute(
        "SELECT table_name, constraint_type, constraint_column_names::VARCHAR "
        "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
    ).fetchall()
    compressions = {
        (table, column, method)
        for table, sql in con.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall()
        for column, method in re.findall(r'"?(\w+)"? [A-Z]+ USING COMPRESSION (\w+)', sql)
    }
    return set(rows) | set(keys) | compressions


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in TABLES if t != "schema_version"}


def test_warehouse_made_by_schema_v1_is_migrated_in_place_keeping_every_row(tmp_path):
    # The fixture is the seeds run made by the code at schema version 1.
    db = tmp_path / "old.duckdb"
    db.write_bytes(gzip.decompress(FIXTURE_V1.read_bytes()))
    with duckdb.connect(str(db), read_only=True) as raw:
        assert raw.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] == 1
        before = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in ("pages", "articles", "events", "event_members", "links")}
        bands = dict(raw.execute(
            "SELECT index_name, count(*) FROM lsh_bands GROUP BY ALL").fetchall())
    assert before["articles"] == 5

    with connect(db) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] == \
            SCHEMA_VERSION
        after = _counts(con)
        migrated = _columns(con)
    assert {t: after[t] for t in before} == before
    # The LSH index, split into one table per index (v6), lost no band key.
    assert (after["copy_bands"], after["event_bands"]) == (bands["copy"], bands["event"]) \
        and bands["event"] > 0

    with connect(tmp_path / "new.duckdb") as con:
        fresh = _columns(con)
    # Whatever a new warehouse has, a migrated one has too: a forgotten migration
    # step fails here.
    assert migrated == fresh


def test_article_texts_are_stored_so_that_reading_a_few_does_not_unpack_them_all(tmp_path):
    """A batch reads the texts of the stored articles it is compared with. DuckDB would
    store news-length texts as ZSTD, which unpacks a whole column segment (up to a row
    group) to read one text of it; the warehouse's `articles.text` is never ZSTD."""
    rng = random.Random(3)
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
                  for _ in range(3000)]
    # most of them 1,500 words, and a few long reads (a tenth of news articles are over
    # 23 kB): one is enough for DuckDB to give up DICT_FSST for its segment
    rows = [(f"a{i}", "p", "u", " ".join(rng.choices(vocabulary, k=6000 if i % 50 == 7 else 1500)), "r")
            for i in range(400)]
    insert = ("INSERT INTO articles (article_id, page_id, url, text, seen_at, run_id) "
              "VALUES (?, ?, ?, ?, current_timestamp, ?)")
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        con.executemany(insert, rows)
        con.execute("CHECKPOINT")
        stored = {m for (m,) in con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('articles') "
            "WHERE column_name = 'text' AND segment_type = 'VARCHAR'").fetchall()}
    assert stored and "ZSTD" not in stored
    # the same texts in a table as DuckDB would make it: the case this guards against
    with duckdb.connect(str(tmp_path / "plain.duckdb")) as plain:
        plain.execute("CREATE TABLE t (text VARCHAR)")
        plain.executemany("INSERT INTO t VALUES (?)", [(r[3],) for r in rows])
        plain.execute("CHECKPOINT")
        assert ("ZSTD",) in plain.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('t')").fetchall()


def test_a_version_8_warehouse_gets_the_article_texts_storage_keeping_its_rows(tmp_path):
    """Version 9 only names `articles.text`'s compression: a warehouse of version 8 (its
    articles table as DuckDB would make it) is rebuilt with it, every row kept."""
    db = tmp_path / "v8.duckdb"
    with connect(db):
        pass
    with duckdb.connect(str(db)) as raw:
        raw.execute("DROP TABLE articles")
        raw.execute(TABLES["articles"].replace(" USING COMPRESSION dict_fsst", ""))
        raw.execute("INSERT INTO articles (article_id, page_id, url, text, seen_at, run_id) "
                    "VALUES ('a1', 'p1', 'u', 'the text', current_timestamp, 'r')")
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version (version) VALUES (8)")
        assert ("articles", "text", "DICT_FSST") not in _columns(raw)
    with connect(db) as con:
        assert ("articles", "text", "DICT_FSST") in _columns(con)
        assert con.execute("SELECT article_id, text FROM articles").fetchall() == [
            ("a1", "the text")]
        assert con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] == \
            SCHEMA_VERSION


def test_a_version_9_warehouse_gets_time_buckets_in_its_event_keys(tmp_path):
    """Version 10 stores each event band key with its article's time bucket. A version 9
    warehouse's keys (bare) are rewritten so that new articles still meet the old ones,
    dated or not, with every row kept."""
    day = 20_000
    bands = np.array([5, -7, 2**62, -(2**62)], np.int64)
    old = [Fingerprint(stable_id(n), np.zeros(128, np.uint32), 1, np.zeros(128, np.uint32),
                       (), np.array([1], np.int64), bands, d)
           for n, d in (("dated", day + 3), ("undated", None), ("early", -20))]
    db = tmp_path / "v9.duckdb"
    with connect(db) as con:
        writes.start_run(con, "r", None, ["test"])
        writes.write_batch(con, BatchWrite("r", [], old), 128, 1)
        made = sorted(con.execute("SELECT * FROM event_bands").fetchall())
        buckets = reads.stored_buckets(con)
    with duckdb.connect(str(db)) as raw:
        raw.execute("DROP TABLE event_buckets")
        # the rows as version 9 wrote them: the bare band keys
        raw.execute("DELETE FROM event_bands")
        raw.execute("INSERT INTO event_bands SELECT unnest(?::BIGINT[]), "
                    "('0x' || article_id)::UBIGINT, ? FROM fingerprints WHERE article_id = ?",
                    [bands.tolist(), day + 3, old[0].article_id])
        raw.execute("INSERT INTO event_bands SELECT unnest(?::BIGINT[]), "
                    "('0x' || article_id)::UBIGINT, NULL FROM fingerprints WHERE article_id = ?",
                    [bands.tolist(), old[1].article_id])
        raw.execute("INSERT INTO event_bands SELECT unnest(?::BIGINT[]), "
                    "('0x' || article_id)::UBIGINT, -20 FROM fingerprints WHERE article_id = ?",
                    [bands.tolist(), old[2].article_id])
        raw.execute("DELETE FROM schema_version")
        raw.execute("INSERT INTO schema_version (version) VALUES (9)")
    with connect(db) as con:
        assert sorted(con.execute("SELECT * FROM event_bands").fetchall()) == made
        assert reads.stored_buckets(con) == buckets and len(buckets) == 3
        # (the fingerprints have no article here: that rule is not this test's)
        assert "event band time buckets not listed" not in reads.integrity_problems(con)
        new = Fingerprint(stable_id("new"), np.zeros(128, np.uint32), 1,
                          np.zeros(128, np.uint32), (), np.array([], np.int64), bands, day)
        found = {m.other_id for m in reads.band_matches(con, [new], DedupeSettings(
            event_min_shared_bands=4))}
    assert found == {old[0].article_id, old[1].article_id}
