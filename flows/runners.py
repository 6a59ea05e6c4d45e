"""Which task runner executes the flow's parallel work (extraction, the bound).

- "processes" (default): Prefect's thread pool for the tasks, and extraction inside
  each batch's task spread over a pool of worker processes, one per core. (Prefect's
  own ProcessPoolTaskRunner needs a Prefect server: its workers cannot share the
  ephemeral API's SQLite database.)
- "threads": everything in this process.
- "dask://HOST:PORT" or "tcp://HOST:PORT": an existing Dask cluster (prefect-dask,
  the `dask` extra).
- "ray://HOST:PORT": an existing Ray cluster (prefect-ray, the `ray` extra).

Workers only extract pages and return the results; the warehouse stays a single
writer in the flow's own process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from typing import Generic, TypeVar

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

DEFAULT_RUNNER = "processes"
_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


class RunnerError(ValueError):
    pass


T = TypeVar("T")


class Handover(Generic[T]):
    """A submitted task's result, which the flow takes once and so lets go of.

    Prefect keeps a submitted task's result in its future's final state, and the
    future and the thread pool's future it wraps refer to each other (a done callback):
    a batch's extracted pages and analyses (~80 MB for 200 news pages) then lived until
    the garbage collector's next full collection found the cycle, up to 8 batches
    later. Taken out of the handover, they go with the flow's last use of them.
    """

    def __init__(self, value: T):
        self._value: T | None = value
        self._taken = False

    def take(self) -> T:
        if self._taken:
            raise RuntimeError("this result was taken already")
        value, self._value, self._taken = self._value, None, True
        return value  # type: ignore[return-value]


def task_runner_for(spec: str | None) -> TaskRunner:
    spec = (spec or DEFAULT_RUNNER).strip()
    if spec in ("threads", "processes"):
        return ThreadPoolTaskRunner(max_workers=max(2, os.cpu_count() or 2))
    if spec.startswith(("dask://", "tcp://")):
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RunnerError("a Dask cluster needs prefect-dask: "
                              "pip install -e '.[dask]'") from exc
        return DaskTaskRunner(address=spec.replace("dask://", "tcp://", 1))
    if spec.startswith("ray://"):
        try:
            from prefect_ray import RayTaskRunner
        except ImportError as exc:
            raise RunnerError("a Ray cluster needs prefect-ray: pip install -e '.[ray]'") from exc
        return RayTaskRunner(address=spec)
    raise RunnerError(f"unknown task runner {spec!r}: threads, processes, dask://HOST:PORT "
                      "or ray://HOST:PORT")


def extraction_plan(spec: str | None) -> tuple[int, int]:
    """(tasks per batch, worker processes per task) for extraction."""
    spec = (spec or DEFAULT_RUNNER).strip()
    if spec.startswith(("dask://", "tcp://", "ray://")):
        return 8, 0  # the cluster's size is not known here; enough to keep workers busy
    if spec == "processes":
        return 1, os.cpu_count() or 1
    return 1, 0


def process_map(function: Callable, items: Iterable, processes: int,
                initializer: Callable[[], None] | None = None,
                on_crash: Callable[[object, BaseException], object] | None = None) -> list:
    """`function` over `items` in a pool of worker processes kept for the whole run
    (forkserver: workers start clean, not as forks of a process running threads);
    each worker runs `initializer` once when it starts.

    A worker that dies (a segfault in a parser, the OOM killer) breaks the whole pool,
    and every item in it fails with it, the run's next batches too: the pool is made
    again, and the items are done one at a time, so that the one that kills its worker
    is the only one lost. `on_crash(item, error)` is its result (without it, the error
    is raised)."""
    items = list(items)
    chunksize = max(1, len(items) // (processes * 4))
    pool = _worker_pool(processes, initializer)
    try:
        return list(pool.map(function, items, chunksize=chunksize))
    except BrokenProcessPool:
        _drop_pool(pool)
        if on_crash is None:
            raise
    return _one_at_a_time(function, items, initializer, on_crash)


def _one_at_a_time(function: Callable, items: list, initializer: Callable[[], None] | None,
                   on_crash: Callable[[object, BaseException], object]) -> list:
    """Each item in a worker of this call's own: the run's pool serves the batches in
    flight at once, and a crash in one batch broke it under another's items, which
    were then taken for the crash's too."""
    results, pool = [], None
    try:
        for item in items:
            pool = pool or _new_pool(1, initializer)
            try:
                results.append(pool.submit(function, item).result())
            except BrokenProcessPool as exc:
                _shut(pool, broken=True)
                pool = None
                results.append(on_crash(item, exc))
    finally:
        if pool is not None:
            _shut(pool)
    return results


def _new_pool(processes: int, initializer: Callable[[], None] | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=initializer)


def _worker_pool(processes: int, initializer: Callable[[], None] | None) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != processes:
            if _pool is not None:
                _shut(_pool)
            _pool, _pool_size = _new_pool(processes, initializer), processes
        return _pool


def _drop_pool(broken: ProcessPoolExecutor) -> None:
    """Let go of the run's pool, which a worker's death broke. Batches in flight at once
    may each find it so, after another has made the next one: that one stays."""
    global _pool
    with _pool_lock:
        if _pool is broken:
            _pool = None
    _shut(broken, broken=True)


def _shut(pool: ProcessPoolExecutor, broken: bool = False) -> None:
    if not broken:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    # A broken pool has ended its workers itself; waiting on it raced its own clean-up
    # (a closed queue raised, or the wait never ended).
    with suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
