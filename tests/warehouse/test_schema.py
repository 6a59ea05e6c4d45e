import gzip
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
    """Every table's columns and key/unique constraints."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
    ).fetchall()
    keys = con.execute(
        "SELECT table_name, constraint_type, constraint_column_names::VARCHAR "
        "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
    ).fetchall()
    return set(rows) | set(keys)


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
