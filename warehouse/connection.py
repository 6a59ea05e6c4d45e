"""Opening the warehouse: locks held by other processes, schema creation and migration."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.schema import MIGRATIONS, SCHEMA_VERSION, TABLES

log = logging.getLogger(__name__)

DEFAULT_LOCK_WAIT_SECONDS = 120.0


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
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() + delay > deadline:
                if _is_lock_error(exc):
                    raise WarehouseLocked(
                        f"{path} stayed locked by another process for {wait_seconds:.0f}s"
                    ) from exc
                raise
            log.warning("warehouse %s is locked by another process; retrying in %.1fs", path, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    try:
        if not read_only:
            ensure_schema(con)
        yield con
    finally:
        con.close()


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
