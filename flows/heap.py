"""The flow process's garbage collector, told what lives as long as a run.

A full collection walks every container object alive: in the flow process most of
them are the modules a run imports (Prefect, pydantic, httpx, DuckDB's and numpy's
Python sides), which never die. At Python's default thresholds a run's allocations
set one off every two batches: in a run of 5,844 pages, 15 of them, 3.3 CPU seconds
(the flow process's whole budget is ~50). Frozen at the start of a run, those objects
are left out; and with young collections rarer, the run's own objects that survive
them no longer add up to a full collection: none in that run (young collections: the
same ~1.3 s). Garbage in reference cycles waits longer for it; the big kind, a batch
held by Prefect's futures, no longer arises (`flows.runners.Handover`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Container allocations (net of frees) between two young collections; Python's 700 is
# made for programs whose objects die young, and a run's batches live for seconds.
YOUNG_THRESHOLD = 10_000


def rarer_young_collections() -> None:
    """For a process that lives for a run, allocating as it goes: an extraction worker.
    At Python's 700, a worker ran a young collection every page or so, which found
    nothing to free (lxml's trees are not the collector's, and a page's objects die by
    reference counts): 1.5-2 % of its CPU on the corpus's pages, 683 collections for
    600 pages against 1 at 10,000 (session 42)."""
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def frozen_heap() -> Iterator[None]:
    """What is alive as a run starts is left out of collections until it ends, and
    young collections are rarer. What is alive is collected first, so no garbage is
    frozen; and all is as before after the run, so that a process that runs flow
    after flow (`newsdedup serve`) collects what one run's objects leave as cycles."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
