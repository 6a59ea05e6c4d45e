"""Opening the warehouse: locks held by other processes, schema creation and migration."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
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
# `NEWSDEDUP_DUCKDB_MEMORY` overrides it (e.g. "8GB") for every connection.
DEFAULT_MEMORY_LIMIT = "512MB"
# A run's held connection (`held`) gets less: cache of this many MiB above what DuckDB
# cannot let go (`_release_cache`). What filled it was cache: each batch's band lookup
# scans the band tables whole, and DuckDB kept the blocks it read (and the checkpoints'
# blocks) until its limit, so the run's process grew with the warehouse: +0.8 MB a
# batch of 200 pages, 113 MB of cache at 25,000 articles; the 100,000-page run's flow
# process went from 588 MB early on to 1,196 MB. Blocks scanned once a batch are read
# again from the OS's page cache, which no process is charged for. What DuckDB cannot
# let go are the key indexes a batch's inserts loaded (150 MB at a million articles,
# until the next checkpoint): a flat 256 MB left the lookup too little there.
RUN_CACHE_MIB = 256


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **tables) -> Iterator[None]:
    """Arrow tables visible to the connection's SQL under these names for the block:
    how a batch's rows are joined with the stored ones and loaded in bulk."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    except BaseException:
        # In a transaction a failed statement aborted, unregistering fails too, and
        # its error would stand in for the one that tells what went wrong.
        for name in tables:
            with suppress(duckdb.Error):
                con.unregister(name)
        raise
    for name in tables:
        con.unregister(name)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN ... COMMIT, rolled back on any error. A COMMIT that fails (a full disk) has
    ended the transaction itself: its error is the one raised, not ROLLBACK's "no
    transaction is active", which hid it."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        with suppress(duckdb.TransactionException):
            con.execute("ROLLBACK")
        raise


@contextmanager
def room_for(con: duckdb.DuckDBPyConnection, nbytes: int) -> Iterator[None]:
    """The connection's memory limit raised by `nbytes` for the block. DuckDB holds the
    rows a transaction inserts in memory until it commits, so a batch whose pages and
    texts are more than the run's cache (a batch of 200 text files of 1 MB each) could
    not be written at all, and every run on those sources failed at that batch."""
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute("SET memory_limit = $limit", {"limit": f"{_bytes(limit) + nbytes}B"})
    try:
        yield
    finally:
        # DuckDB shows a limit to a tenth of its unit, so one at 1 GiB or more comes
        # back up to 50 MB lower; a run's is set again after each batch anyway.
        with suppress(duckdb.Error):  # it goes down to the old limit as far as it can
            con.execute("SET memory_limit = $limit", {"limit": limit})


_UNITS = {"B": 1, "bytes": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def _bytes(setting: str) -> int:
    """DuckDB's way of showing a memory size ("256.0 MiB") in bytes."""
    number, unit = setting.split()
    return int(float(number) * _UNITS[unit])


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
    it too; scheduled runs should wait for a human's query to finish, not fail. In a
    process that holds the warehouse (`held`, a run), this is a cursor of the held
    connection. A reader says it is waiting (`_reader_waiting`), so a run holding the
    file gives way at its next batch (`give_way`).
    """
    path = Path(path)
    if (held_con := _HELD.get(_key(path))) is not None:
        cursor = held_con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    with _reader_waiting(path) if read_only else nullcontext():
        con = _open(path, read_only, wait_seconds)
        try:
            yield con
        finally:
            con.close()


def _memory_limit(run: bool = False, pinned_bytes: int = 0) -> str:
    """`run`: of a run's held connection, with `pinned_bytes` DuckDB cannot evict."""
    if (setting := os.environ.get("NEWSDEDUP_DUCKDB_MEMORY")) is not None:
        return setting
    if run:
        return f"{RUN_CACHE_MIB + -(-pinned_bytes // 2**20)}MiB"
    return DEFAULT_MEMORY_LIMIT


def _open(
    path: Path, read_only: bool, wait_seconds: float, run: bool = False
) -> duckdb.DuckDBPyConnection:
    """`run`: the connection a run holds (`RUN_CACHE_MIB`)."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)

    def try_connect() -> duckdb.DuckDBPyConnection | None:
        try:
            return duckdb.connect(str(path), read_only=read_only,
                                  config={"memory_limit": _memory_limit(run)})
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if _is_lock_error(exc):
                return None
            raise

    # A reader polls more often: a run it waits for pauses until it is in (`give_way`).
    con = _wait_with_backoff(
        try_connect, wait_seconds, "the DuckDB file is locked by another process", path,
        max_delay=0.5 if read_only else 5.0,
    )
    if not read_only:
        try:
            ensure_schema(con)
        except BaseException:
            con.close()
            raise
    return con


# The read-write connection each warehouse a run of this process holds, by resolved path.
_HELD: dict[str, duckdb.DuckDBPyConnection] = {}


def _key(path: str | Path) -> str:
    return str(Path(path).resolve())


@contextmanager
def held(path: str | Path, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS) -> Iterator[None]:
    """One read-write connection for a run's whole length, which `connect` hands out
    as cursors. Opening a connection and closing it (DuckDB checkpoints the file on
    close) for each of a batch's five steps was half of writing a batch and a quarter
    of the flow process's time; held, DuckDB checkpoints when its log passes 16 MB.
    Readers of other processes get in between batches (`give_way`)."""
    key = _key(path)
    if key in _HELD:  # a flow inside another one's run
        yield
        return
    _HELD[key] = _open(Path(path), False, wait_seconds, run=True)
    try:
        yield
    finally:
        # gone if opening it again after giving way failed (the run fails with that)
        if (con := _HELD.pop(key, None)) is not None:
            con.close()


def between_batches(path: str | Path, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS) -> bool:
    """What a run holding the warehouse does after each batch it wrote: lets DuckDB's
    cache of the blocks it read go, and lets waiting readers in. True if it gave way."""
    if (con := _HELD.get(_key(path))) is None:
        return False
    _release_cache(con)
    return give_way(path, wait_seconds)


def _release_cache(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB keeps the blocks a connection read until its memory limit; held for a run,
    that was 70-100 MB more at the flow process's peak than a connection per step had.
    Lowering the limit for a moment evicts them; what cannot go (the key indexes loaded)
    stays, and the run's limit is set `RUN_CACHE_MIB` above that."""
    with suppress(duckdb.Error):  # when more cannot go, it still went as far as it could
        con.execute("SET memory_limit = '16MB'")
    pinned = 0
    try:
        pinned = con.execute(
            "SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory()"
        ).fetchall()[0][0]
    finally:
        con.execute("SET memory_limit = $limit",
                    {"limit": _memory_limit(run=True, pinned_bytes=pinned)})


def give_way(path: str | Path, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS) -> bool:
    """If a reader is waiting for the held warehouse, the connection is closed until
    the readers are done (or `wait_seconds` have passed), then opened again. True if it
    gave way."""
    key = _key(path)
    if key not in _HELD or not _readers_present(Path(path)):
        return False
    log.info("%s: a reader is waiting; the run pauses for it", path)
    _HELD.pop(key).close()
    deadline = time.monotonic() + wait_seconds
    while _readers_present(Path(path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    _HELD[key] = _open(Path(path), False, max(deadline - time.monotonic(), 1.0), run=True)
    return True


def _readers_path(path: Path) -> Path:
    return Path(f"{path}.readers.lock")


@contextmanager
def _reader_waiting(path: Path) -> Iterator[None]:
    """A shared lock on `<db>.readers.lock` while a reader waits for the file and reads
    it: how a run holding the file learns to give way. Where it cannot be made (a
    read-only directory), the reader only waits."""
    try:
        fd = os.open(_readers_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # releases the lock


def _readers_present(path: Path) -> bool:
    try:
        fd = os.open(_readers_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _wait_with_backoff(try_once, wait_seconds: float, what: str, path: Path,
                       max_delay: float = 5.0):
    """Call `try_once` until it returns something, sleeping 0.2 s, 0.4 s ... `max_delay`
    between tries; WarehouseLocked once `wait_seconds` have passed."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while (result := try_once()) is None:
        if time.monotonic() + delay > deadline:
            raise WarehouseLocked(f"{path}: {what} for longer than {wait_seconds:.0f}s")
        # once, not at every try of a reader polling twice a second
        log.log(logging.WARNING if delay == 0.2 else logging.DEBUG,
                "%s: %s; retrying", path, what)
        time.sleep(delay)
        delay = min(delay * 2, max_delay)
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
    with transaction(con):
        if version == 0:
            for ddl in TABLES.values():
                con.execute(ddl)
        else:
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    statement(con) if callable(statement) else con.execute(statement)
        con.execute("INSERT INTO schema_version (version) VALUES (?)", [SCHEMA_VERSION])
