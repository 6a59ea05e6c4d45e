"""The worker pool outlives a worker that dies: only the item that killed it is lost."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from flows.runners import process_map


def upper_or_die(item: str) -> str:
    if item == "poison":  # as a segfault in a parser, or the OOM killer, would end it
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.02)  # work takes time: batches in flight overlap
    return item.upper()


def test_an_item_that_kills_its_worker_costs_only_itself_and_the_pool_goes_on():
    items = ["a", "b", "poison", "c"] * 2
    got = process_map(upper_or_die, items, 2, on_crash=lambda item, error: f"lost {item}")
    assert got == ["lost poison" if x == "poison" else x.upper() for x in items]
    assert process_map(upper_or_die, ["x", "y"], 2) == ["X", "Y"]


def test_without_a_crash_handler_the_error_is_raised_and_the_pool_made_again():
    with pytest.raises(BrokenProcessPool):
        process_map(upper_or_die, ["a", "poison"], 2)
    assert process_map(upper_or_die, ["x"], 2) == ["X"]


def test_a_crash_in_one_batch_costs_no_item_of_a_batch_in_flight_beside_it():
    # the run's batches in flight share the pool: one's crash broke it under the other,
    # whose items were then taken for crashes too
    from concurrent.futures import ThreadPoolExecutor

    def batch(items):
        return process_map(upper_or_die, items, 2, on_crash=lambda item, error: f"lost {item}")

    poisoned_items = ["a", "poison", "b", "c", "poison", "d", "poison", "e"]
    for _ in range(3):
        with ThreadPoolExecutor(2) as threads:
            poisoned = threads.submit(batch, poisoned_items)
            clean = threads.submit(batch, [f"x{n}" for n in range(12)])
            assert poisoned.result() == [f"lost {x}" if x == "poison" else x.upper()
                                         for x in poisoned_items]
            assert clean.result() == [f"X{n}" for n in range(12)]
