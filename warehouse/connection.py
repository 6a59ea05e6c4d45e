"""Opening the warehouse: locks held by other processes, schema creation and migration."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.schema import MIGRATIONS, SCHEMA_VERSION, TABLES

log = logging.getLogger(__name__)

DEFAULT_LOCK_WAIT_SECONDS = 120.0
# DuckDB's own default is 80 % of the machine's memory, kept as cache of the blocks it
# read: a run's band lookups over a million articles grew the process to 4.5 GB. With a
# limit it evicts that cache and spills big operators to disk instead; the lookups took
# the same time at 1 GB and at 512 MB (adding 1,000 pages to a million articles: link
# stage 39-43 s at 1 GB, 40 s at 512 MB; the flow process peaked at 1.7 GB, 1.2 GB).
# `NEWSDEDUP_DUCKDB_MEMORY` overrides it (e.g. "8GB").
DEFAULT_MEMORY_LIMIT = "512MB"


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables) -> Iterator[None]:
    """Arrow tables visible to the connection's SQL under these names for the block:
    how a batch's rows are joined with the stored ones and loaded in bulk."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


class WarehouseLocked(RuntimeError):
    """Another process held the DuckDB file for longer than we were willing to wait."""


def _is_lock_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


@contextmanager
def connect(
    path: str | Path, read_only: bool = False, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse, waiting with backoff while another process holds it.

    DuckDB allows one writing process per file, and a reader in another process blocks
    it too; scheduled runs should wait for a human's query to finish, not fail.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)

    def try_connect() -> duckdb.DuckDBPyConnection | None:
        try:
            return duckdb.connect(str(path), read_only=read_only, config={
                "memory_limit": os.environ.get("NEWSDEDUP_DUCKDB_MEMORY", DEFAULT_MEMORY_LIMIT)})
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if _is_lock_error(exc):
                return None
            raise

    con = _wait_with_backoff(
        try_connect, wait_seconds, "the DuckDB file is locked by another process", path
    )
    try:
        if not read_only:
            ensure_schema(con)
        yield con
    finally:
        con.close()


def _wait_with_backoff(try_once, wait_seconds: float, what: str, path: Path):
    """Call `try_once` until it returns something, sleeping 0.2 s, 0.4 s ... 5 s between
    tries; WarehouseLocked once `wait_seconds` have passed."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while (result := try_once()) is None:
        if time.monotonic() + delay > deadline:
            raise WarehouseLocked(f"{path}: {what} for longer than {wait_seconds:.0f}s")
        log.warning("%s: %s; retrying in %.1fs", path, what, delay)
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
    return result


@contextmanager
def exclusive_run(
    path: str | Path, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> Iterator[None]:
    """Held for a whole run, so two runs on one warehouse take turns.

    DuckDB's own lock lasts one connection, and a run opens several; two runs could
    interleave their batches and both link against a half-written index. An OS file
    lock (released by the kernel when a process dies, even by kill -9) serialises
    them; the second run waits, then finds the first one's pages already stored.
    """
    lock_path = Path(f"{path}.run.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)

    def try_lock() -> bool | None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return None

    try:
        _wait_with_backoff(try_lock, wait_seconds, "another run is writing", Path(path))
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
    return row[0] or 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create a new warehouse, or migrate an older one in place."""
    version = current_version(con)
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"warehouse schema version {version} is newer than this newsdedup ({SCHEMA_VERSION})"
        )
    con.execute("BEGIN TRANSACTION")
    try:
        if version == 0:
            for ddl in TABLES.values():
                con.execute(ddl)
        else:
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    con.execute(statement)
        con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
