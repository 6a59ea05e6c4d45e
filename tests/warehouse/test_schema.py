import gzip
import random
import re
from pathlib import Path

import duckdb
import pytest

from warehouse import SCHEMA_VERSION, connect
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
