"""`newsdedup ui` then `newsdedup run`: the run shows in the UI's API."""

import json
import os
import socket
import subprocess
import sys
import urllib.request

import duckdb
import pytest

from flows.server import stop_group, wait_healthy
from tests.conftest import ROOT, SEEDS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ui_server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), NEWSDEDUP_UI_PORT=str(port))
    log = open(tmp_path / "ui.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ui", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(url, process)
        yield url, env
    finally:
        stop_group(process)
        log.close()


def run_seeds(env, db) -> str:
    """`newsdedup run` on the seeds, reporting to the UI's server; its flow run id."""
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--source", str(SEEDS), "--db", str(db)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "articles extracted" in out.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        [(flow_run_id,)] = con.execute("SELECT flow_run_id FROM runs").fetchall()
    return flow_run_id


def test_run_shows_in_the_ui_api(ui_server, tmp_path):
    url, env = ui_server
    flow_run_id = run_seeds(env, tmp_path / "news.duckdb")
    request = urllib.request.Request(
        f"{url}/flow_runs/filter", data=json.dumps({"limit": 10}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        runs = json.load(r)
    by_id = {run["id"]: run for run in runs}
    assert flow_run_id in by_id
    assert by_id[flow_run_id]["state_type"] == "COMPLETED"


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--hide-scrollbars", "--window-size=1400,1000",
                  "--virtual-time-budget=20000"]


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_run_page_renders_in_headless_chromium(ui_server, tmp_path):
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    url, env = ui_server
    flow_run_id = run_seeds(env, tmp_path / "news.duckdb")
    with urllib.request.urlopen(f"{url}/flow_runs/{flow_run_id}", timeout=10) as r:
        run_name = json.load(r)["name"]

    page = url.removesuffix("/api") + f"/runs/flow-run/{flow_run_id}"
    profile = tmp_path / "chromium-profile"
    shot = tmp_path / "run-page.png"
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    subprocess.run([*common, f"--screenshot={shot}", page], capture_output=True, timeout=180)
    dom = subprocess.run([*common, "--dump-dom", page], capture_output=True, text=True,
                         timeout=180).stdout
    # Rendered: the screenshot has the window's size and real content (a blank or
    # error page compresses to a few kB), and the page's DOM, after the UI's scripts
    # ran, names this flow run and its flow.
    assert png_size(shot) == (1400, 1000)
    assert shot.stat().st_size > 30_000
    assert run_name in dom
    assert "newsdedup-ingest" in dom
