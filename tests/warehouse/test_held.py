"""A run holds the warehouse open for its length; readers of other processes get in
between its batches."""

import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import ROOT
from warehouse import WarehouseLocked, between_batches, connect, give_way, held
from warehouse.connection import DEFAULT_MEMORY_LIMIT, RUN_CACHE_MIB
from warehouse.writes import start_run

READER = """
import sys
from warehouse import connect
with connect(sys.argv[1], read_only=True, wait_seconds=float(sys.argv[2])) as con:
    print(con.execute("SELECT count(*) FROM runs").fetchall()[0][0])
"""


def reader(db, wait_seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", READER, str(db), str(wait_seconds)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_steps_of_a_run_share_the_held_connection(tmp_path):
    db = tmp_path / "news.duckdb"
    with held(db):
        with connect(db) as con:
            start_run(con, "r1", None, ["seeds"])
        with connect(db, read_only=True) as con:  # in the holding process: a cursor too
            assert con.execute("SELECT run_id FROM runs").fetchall() == [("r1",)]
        assert not give_way(db)  # nobody waiting: the connection stays
        assert not between_batches(db)  # only the block cache let go
        with connect(db) as con:
            assert con.execute("SELECT count(*) FROM runs").fetchall() == [(1,)]
    with connect(db, read_only=True) as con:  # released at the end
        assert con.execute("SELECT count(*) FROM runs").fetchall() == [(1,)]


def memory_limit(con) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


def mib(setting: str) -> float:
    value, unit = setting.split()
    return float(value) * {"KiB": 2**-10, "MiB": 1, "GiB": 2**10}[unit]


def held_mib(con, *tags: str) -> float:
    return con.execute(
        "SELECT coalesce(sum(memory_usage_bytes), 0) / 2**20 FROM duckdb_memory() "
        "WHERE tag IN (SELECT unnest($tags))", {"tags": list(tags)}).fetchall()[0][0]


def as_duckdb_shows(limit: str) -> str:
    with duckdb.connect(config={"memory_limit": limit}) as con:
        return memory_limit(con)


def test_a_run_keeps_a_bounded_cache_above_the_indexes_duckdb_cannot_let_go(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("NEWSDEDUP_DUCKDB_MEMORY", raising=False)
    db = tmp_path / "news.duckdb"
    with connect(db) as con:  # a key index of 300,000 terms
        con.execute("INSERT INTO term_df SELECT md5(i::VARCHAR), 1 FROM range(300000) r(i)")
    with held(db):
        with connect(db) as con:
            assert mib(memory_limit(con)) == RUN_CACHE_MIB  # nothing held yet
            # an insert checks the keys: DuckDB loads the index and keeps it
            con.execute("INSERT OR IGNORE INTO term_df "
                        "SELECT md5(i::VARCHAR), 1 FROM range(299000, 301000) r(i)")
            con.execute("SELECT count(*) FROM term_df WHERE df > 0").fetchall()  # cached
            indexes = held_mib(con, "ART_INDEX")
            assert indexes > 5 and held_mib(con, "BASE_TABLE") > 1
        between_batches(db)
        with connect(db) as con:
            assert held_mib(con, "BASE_TABLE") < 1  # the cache let go
            assert held_mib(con, "ART_INDEX") == pytest.approx(indexes, abs=1)
            assert mib(memory_limit(con)) == pytest.approx(RUN_CACHE_MIB + indexes, abs=2)
    with connect(db, read_only=True) as con:  # a human's query gets the default
        assert memory_limit(con) == as_duckdb_shows(DEFAULT_MEMORY_LIMIT)
    assert RUN_CACHE_MIB + indexes < mib(as_duckdb_shows(DEFAULT_MEMORY_LIMIT))

    monkeypatch.setenv("NEWSDEDUP_DUCKDB_MEMORY", "1GB")  # one setting for all of them
    with held(db):
        between_batches(db)
        with connect(db) as con:
            assert memory_limit(con) == as_duckdb_shows("1GB")
    with connect(db, read_only=True) as con:
        assert memory_limit(con) == as_duckdb_shows("1GB")


def test_a_reader_waiting_gets_in_when_the_run_gives_way_and_the_run_goes_on(tmp_path):
    db = tmp_path / "news.duckdb"
    with held(db):
        with connect(db) as con:
            start_run(con, "r1", None, ["seeds"])
        impatient = reader(db, 1.0)
        assert impatient.wait(60) != 0 and "WarehouseLocked" in impatient.stderr.read()

        patient = reader(db, 60.0)
        gave_way = False
        deadline = time.monotonic() + 60
        while patient.poll() is None and time.monotonic() < deadline:
            gave_way |= give_way(db, 30.0)  # what the flow does after each batch
            time.sleep(0.05)
        assert patient.wait(5) == 0, patient.stderr.read()
        assert gave_way and patient.stdout.read().strip() == "1"
        with connect(db) as con:  # held again: the run writes on
            start_run(con, "r2", None, ["seeds"])
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchall() == [(2,)]


def test_a_writer_of_another_process_still_waits_for_the_run(tmp_path):
    db = tmp_path / "news.duckdb"
    with held(db):
        code = ("import sys\nfrom warehouse import connect\n"
                "with connect(sys.argv[1], wait_seconds=1.0): pass")
        other = subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT,
                               capture_output=True, text=True, timeout=60)
    assert other.returncode != 0 and "WarehouseLocked" in other.stderr


LINGERING_READER = """
import sys, time
from warehouse import connect
with connect(sys.argv[1], read_only=True, wait_seconds=30) as con:
    time.sleep(20)
"""


def test_a_reader_that_stays_fails_the_run_clearly_after_the_wait(tmp_path):
    """As a reader holding the file fails a run that starts: WarehouseLocked once the
    run's lock wait is over, and the run's end closes nothing twice."""
    db = tmp_path / "news.duckdb"
    with pytest.raises(WarehouseLocked), held(db):
        lingering = subprocess.Popen([sys.executable, "-c", LINGERING_READER, str(db)],
                                     cwd=ROOT)
        try:
            while True:  # let in, it stays: the run cannot have the file back
                give_way(db, 1.0)
                time.sleep(0.05)
        finally:
            lingering.kill()
            lingering.wait()
