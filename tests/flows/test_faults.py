"""Kills, concurrent runs and locked files: nothing lost, nothing half-written.

Runs are real `newsdedup run` subprocesses reporting to the session's Prefect API.
A run is killed with SIGKILL at a named point (flows/failpoints.py) or from outside
at a moment of the test's choosing; then the warehouse must be consistent and the
next run must leave it exactly as one clean run would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.failpoints import KILL_AT_ENV
from tests.conftest import ROOT, SEEDS
from warehouse import connect
from warehouse.reads import content_snapshot, integrity_problems

BATCH = "2"  # the five seeds make three batches


@pytest.fixture(scope="module")
def api_env(prefect_harness) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {k: v for k, v in os.environ.items() if k != KILL_AT_ENV}
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    return env


def run_cmd(db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", "--source", str(SEEDS), "--db", str(db),
            "--batch-size", BATCH, *extra]


def run(db: Path, env: dict, kill_at: str | None = None, *extra: str):
    env = dict(env)
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    return subprocess.run(run_cmd(db, *extra), env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def state(db: Path) -> dict:
    """What a user would see of the work: pages, articles, events, copies, the index."""
    with connect(db, read_only=True) as con:
        return content_snapshot(con)


def runs(db: Path) -> list[str]:
    with connect(db, read_only=True) as con:
        return sorted(r[0] for r in con.execute("SELECT status FROM runs").fetchall())


def problems(db: Path) -> dict:
    with connect(db, read_only=True) as con:
        return integrity_problems(con)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, api_env) -> dict:
    db = tmp_path_factory.mktemp("reference") / "w.duckdb"
    out = run(db, api_env)
    assert out.returncode == 0, out.stderr
    return state(db)


@pytest.mark.parametrize(
    "kill_at", ["read:1", "extract:2", "link:2", "commit:1", "commit:3", "write:2", "close:1"]
)
def test_kill_at_any_stage_then_rerun_equals_one_clean_run(tmp_path, api_env, reference, kill_at):
    db = tmp_path / "w.duckdb"
    killed = run(db, api_env, kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    if db.exists():
        assert problems(db) == {}
        # The killed run is not visible as complete, and what it committed is whole.
        assert "completed" not in runs(db)

    again = run(db, api_env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert problems(db) == {}
    assert state(db) == reference
    assert runs(db) == ["completed", "interrupted"]


def test_kill_from_outside_mid_run_then_rerun_equals_one_clean_run(tmp_path, api_env, reference):
    db = tmp_path / "w.duckdb"
    # Kill as soon as the first batch is committed, from another process.
    proc = subprocess.Popen(run_cmd(db), env=api_env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with duckdb.connect(str(db), read_only=True) as con:
                if con.execute("SELECT count(*) FROM pages").fetchall()[0][0] > 0:
                    break
        except (duckdb.Error, OSError):
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    again = run(db, api_env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert problems(db) == {}
    assert state(db) == reference


def test_two_runs_at_once_equal_one_run(tmp_path, api_env, reference):
    db = tmp_path / "w.duckdb"
    procs = [subprocess.Popen(run_cmd(db), env=api_env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outs]
    assert problems(db) == {}
    assert state(db) == reference
    assert runs(db) == ["completed", "completed"]


READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM pages").fetchall()
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_reader(db: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", READER, str(db), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_run_waits_for_a_reader_and_completes(tmp_path, api_env, reference):
    db = tmp_path / "w.duckdb"
    with connect(db):
        pass  # an empty warehouse for the reader to hold
    reader = hold_reader(db, 8)
    out = run(db, api_env, None, "--lock-wait", "120")
    reader.wait(timeout=30)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "locked by another process" in out.stdout + out.stderr
    assert state(db) == reference


def test_run_fails_clearly_when_the_reader_stays_then_next_run_catches_up(
    tmp_path, api_env, reference
):
    db = tmp_path / "w.duckdb"
    with connect(db):
        pass
    reader = hold_reader(db, 60)
    try:
        out = run(db, api_env, None, "--lock-wait", "2")
    finally:
        reader.kill()
        reader.wait()
    assert out.returncode == 1
    # The last word to the user is one clear line (Prefect's log of the failed task,
    # with its traceback, comes before it, as in the UI).
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("newsdedup: error:")
    assert "locked by another process for longer than 2s" in last
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM pages").fetchall()[0][0] == 0
        assert con.execute("SELECT count(*) FROM runs").fetchall()[0][0] == 0

    again = run(db, api_env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert state(db) == reference


@pytest.mark.parametrize("kill_at", ["extract:2", "commit:2"])
def test_reprocess_killed_is_finished_by_the_next_run(tmp_path, api_env, reference, kill_at):
    db = tmp_path / "w.duckdb"
    assert run(db, api_env).returncode == 0
    env = dict(api_env, **{KILL_AT_ENV: kill_at})
    killed = subprocess.run(
        [sys.executable, "-m", "flows.cli", "reprocess", "--db", str(db), "--batch-size", BATCH],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert problems(db) == {}
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reprocess_queue").fetchall()[0][0] > 0

    again = run(db, api_env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert problems(db) == {}
    assert state(db) == reference


def test_a_page_that_kills_its_worker_is_an_error_row_and_the_run_goes_on(tmp_path, api_env):
    # A segfault in a parser or the OOM killer on one page broke the whole worker pool:
    # the run failed, and every later run failed again on the same page.
    from tests.flows.http_site import story

    corpus = tmp_path / "pages"
    corpus.mkdir()
    for n in range(45):  # enough for the batch to go to the worker processes
        (corpus / f"story-{n:02d}.html").write_bytes(story(n))
    (corpus / "poison.html").write_bytes(story(99))
    db = tmp_path / "w.duckdb"
    env = {**api_env, KILL_AT_ENV: "page:poison"}
    out = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--source", str(corpus),
                          "--db", str(db)], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    with connect(db, read_only=True) as con:
        errors = con.execute("SELECT url, error FROM pages WHERE error IS NOT NULL").fetchall()
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    assert articles == 45
    assert [(url.rsplit("/", 1)[1], "crashed its worker process" in error)
            for url, error in errors] == [("poison.html", True)]


def test_a_page_that_kills_the_run_itself_costs_only_its_row_in_the_next_run(tmp_path,
                                                                             api_env):
    # A small batch is extracted in the flow's own process, where the crash ends the
    # run: the next run then extracts away from it, and the page costs its own row,
    # where it had killed every run after the first too.
    db = tmp_path / "w.duckdb"
    first = run(db, api_env, "page:001_")
    assert first.returncode == -signal.SIGKILL
    second = run(db, api_env, "page:001_")
    assert second.returncode == 0, second.stderr[-2000:]
    with connect(db, read_only=True) as con:
        errors = con.execute("SELECT url, error FROM pages WHERE error IS NOT NULL").fetchall()
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        assert integrity_problems(con) == {}
    assert articles == 4
    assert len(errors) == 1 and "/001_" in errors[0][0] and "crashed its worker" in errors[0][1]
