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
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

DEFAULT_RUNNER = "processes"
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


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
    try:
        return list(_worker_pool(processes, initializer).map(function, items,
                                                              chunksize=chunksize))
    except BrokenProcessPool:
        _drop_pool()
        if on_crash is None:
            raise
    results = []
    for item in items:
        try:
            results.append(_worker_pool(processes, initializer).submit(function, item).result())
        except BrokenProcessPool as exc:
            _drop_pool()
            results.append(on_crash(item, exc))
    return results


def _worker_pool(processes: int, initializer: Callable[[], None] | None) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != processes:
        _drop_pool()
        context = multiprocessing.get_context("forkserver")
        _pool, _pool_size = ProcessPoolExecutor(processes, mp_context=context,
                                                 initializer=initializer), processes
    return _pool


def _drop_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
