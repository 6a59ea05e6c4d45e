"""`newsdedup serve`: a schedule that really creates runs (the ephemeral API never would)."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import duckdb

from flows.server import is_healthy
from tests.conftest import ROOT, SEEDS
from tests.flows.test_ui import free_port


def completed_runs(api_url: str) -> int:
    body = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}, "limit": 50}
    request = urllib.request.Request(
        f"{api_url}/flow_runs/filter", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        return len(json.load(r))


def test_served_interval_schedule_produces_runs(tmp_path):
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "home"), NEWSDEDUP_UI_PORT=str(port))
    db = tmp_path / "news.duckdb"
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--interval", "5", "--source", str(SEEDS),
         "--db", str(db)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        runs = 0
        while time.monotonic() < deadline and process.poll() is None:
            if is_healthy(api_url) and (runs := completed_runs(api_url)) >= 2:
                break
            time.sleep(2)
        assert runs >= 2, (tmp_path / "serve.log").read_text()[-3000:]
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    assert not is_healthy(api_url), "serve left its Prefect server running"
    with duckdb.connect(str(db), read_only=True) as con:
        statuses = [s for (s,) in con.execute("SELECT status FROM runs").fetchall()]
        articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    assert statuses.count("completed") >= 2
    assert articles == 5  # later scheduled runs found nothing new
