"""The flow on other task runners gives the same warehouse as the default one."""

from __future__ import annotations

import os

import pytest

from flows.config import Config
from tests.flows.http_site import story
from warehouse import connect
from warehouse.reads import content_snapshot

N_PAGES = 60  # enough for extraction to be split into several tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(N_PAGES):
        (folder / f"story-{n:03d}.html").write_bytes(story(n))
    return folder


def run_with(runner: str, corpus, db) -> dict:
    from flows.cli import flow_for, flow_parameters
    from flows.sources import SourceSpec

    config = Config(db=str(db), sources=(SourceSpec("corpus", "folder", str(corpus)),),
                    batch_size=N_PAGES, task_runner=runner)
    summary = flow_for(config)(**flow_parameters(config, config.sources))
    assert summary["counts"]["articles"] == N_PAGES
    with connect(db, read_only=True) as con:
        return content_snapshot(con)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory, prefect_harness):
    return run_with("threads", corpus, tmp_path_factory.mktemp("ref") / "w.duckdb")


def test_worker_processes_give_the_same_warehouse(corpus, reference, tmp_path):
    assert run_with("processes", corpus, tmp_path / "w.duckdb") == reference


def test_a_local_dask_cluster_gives_the_same_warehouse(corpus, reference, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    from prefect.settings import PREFECT_API_URL

    # Workers are separate processes: they report their task runs to the same API.
    os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:
            address = cluster.scheduler_address
            snapshot = run_with(address, corpus, tmp_path / "w.duckdb")
            with distributed.Client(address) as client:
                prefixes = client.run_on_scheduler(
                    lambda dask_scheduler: {name: sum(p.state_counts.values())
                                            for name, p in dask_scheduler.task_prefixes.items()})
    finally:
        os.environ.pop("PREFECT_API_URL", None)
    assert snapshot == reference
    # The batch's extraction ran on the cluster, split into several tasks.
    assert sum(n for name, n in prefixes.items() if "extract" in name) >= 3, prefixes
