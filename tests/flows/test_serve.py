"""`newsdedup serve`: a schedule that really creates runs (the ephemeral API never would)."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import duckdb

from flows.server import is_healthy, stop_group
from tests.conftest import ROOT, SEEDS
from tests.flows.test_ui import free_port


def api(api_url: str, path: str, body: dict) -> list:
    request = urllib.request.Request(
        f"{api_url}/{path}", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def completed_runs(api_url: str) -> list[dict]:
    return api(api_url, "flow_runs/filter",
               {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}, "limit": 50})


CONFIG = """
db = "{db}"
[fetch]
timeout = 5
[[sources]]
name = "seeds"
kind = "folder"
location = "{seeds}"
[[sources]]
name = "one-page"
kind = "file"
location = "{one}"
[[schedules]]
name = "seeds-every-5s"
interval = 5
sources = ["seeds"]
[[schedules]]
name = "one-page-every-7s"
interval = 7
sources = ["one-page"]
"""


def test_served_schedules_from_config_produce_runs_with_artifacts(tmp_path):
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "home"), NEWSDEDUP_UI_PORT=str(port))
    db = tmp_path / "news.duckdb"
    one = tmp_path / "one.txt"
    one.write_text(next(SEEDS.glob("002_*.txt")).read_text())
    config = tmp_path / "sources.toml"
    config.write_text(CONFIG.format(db=db, seeds=SEEDS, one=one))
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--config", str(config)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        runs: list[dict] = []
        # At least three scheduled runs, from both deployments.
        while time.monotonic() < deadline and process.poll() is None:
            if is_healthy(api_url):
                runs = completed_runs(api_url)
                if len(runs) >= 3 and len({r["deployment_id"] for r in runs}) == 2:
                    break
            time.sleep(2)
        assert len(runs) >= 3, (tmp_path / "serve.log").read_text()[-3000:]
        assert len({r["deployment_id"] for r in runs}) == 2
        # One run at a time over both schedules (serve's default --limit 1): runs take
        # turns on the warehouse, so more would only pile up waiting for its lock.
        spans = sorted((datetime.fromisoformat(r["start_time"]),
                        datetime.fromisoformat(r["end_time"])) for r in runs)
        assert all(end <= start for (_, end), (start, _) in pairwise(spans)), spans
        deployments = {d["name"] for d in api(api_url, "deployments/filter", {})}
        assert deployments == {"seeds-every-5s", "one-page-every-7s"}
        # Every completed run left its artifacts, readable through the server's API.
        for run in runs:
            artifacts = api(api_url, "artifacts/filter",
                            {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
            by_key = {a["key"]: a for a in artifacts}
            assert {"newsdedup-run-summary", "newsdedup-run-events"} <= set(by_key), run["id"]
            assert "newsdedup run" in by_key["newsdedup-run-summary"]["data"]
            assert "Time per stage" in by_key["newsdedup-run-summary"]["data"]
            assert by_key["newsdedup-run-events"]["type"] == "table"
    finally:
        # Ctrl-C: serve stops its own server (a group of its own) before it exits.
        stop_group(process, grace=60, sig=signal.SIGINT)
        log.close()
    # Stopped by serve on its way out; or, when serve was too slow to stop on a loaded
    # machine and was killed after the grace, by its own SIGTERM (die_with_this_process)
    # a few seconds later. Before that, such a server ran on for good.
    deadline = time.monotonic() + 20
    while is_healthy(api_url) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not is_healthy(api_url), "serve left its Prefect server running"
    with duckdb.connect(str(db), read_only=True) as con:
        statuses = [s for (s,) in con.execute("SELECT status FROM runs").fetchall()]
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    assert statuses.count("completed") >= 3
    assert articles == 6  # five seeds and the one page; later runs found nothing new


def test_the_server_serve_starts_dies_when_serve_is_killed(tmp_path):
    """A supervisor's SIGKILL never lets `serve` stop its server on the way out; the
    server (in a session of its own) must not run on. Same mechanism, without the
    server's start-up time: a child started the way serve starts its server."""
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, time\n"
        "from flows.server import die_with_this_process\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'],\n"
        "                         start_new_session=True, preexec_fn=die_with_this_process())\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(120)\n")], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(pid_file.read_text())
    os.kill(child, 0)  # running
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:  # gone, or dead and not yet reaped by init (a zombie: state Z)
            if Path(f"/proc/{child}/stat").read_text().split(") ")[1][0] == "Z":
                break
        except FileNotFoundError:
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the child outlived its killed parent")
