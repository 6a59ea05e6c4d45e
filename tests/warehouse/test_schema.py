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
