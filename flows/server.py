"""Prefect's local server: the UI, and the scheduler that `serve` needs.

The ephemeral API Prefect starts on its own runs flows but never schedules them, so a
served deployment needs a real server: `newsdedup ui` starts one in the foreground,
and `newsdedup serve` starts one beside itself when none is up.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress


def server_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)]


def server_env(host: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # the server is the API; it must not point elsewhere
    # The UI's pages call the API at this address; Prefect's default is port 4200
    # whatever port the server was started on, and then the UI shows only an error.
    env["PREFECT_UI_API_URL"] = f"http://{host}:{port}/api"
    return env


def is_healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(api_url: str, process: subprocess.Popen, seconds: float = 150) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Prefect server exited with status {process.returncode}")
        if is_healthy(api_url):
            return
        time.sleep(1)
    raise TimeoutError(f"Prefect server at {api_url} not healthy after {seconds:.0f}s")


def die_with_this_process() -> Callable[[], None]:
    """A `preexec_fn`: the child gets SIGTERM when this process dies.

    `serve` stops its server on the way out, but a `serve` killed (by a supervisor's
    kill timeout, or SIGKILL) never gets there, and the server, in a session of its
    own, ran on for good (seen: 44 minutes after a test killed a `serve` that was slow
    to stop on a loaded machine). Linux only; elsewhere the server is stopped as before.
    """
    parent = os.getpid()

    def in_child() -> None:
        name = ctypes.util.find_library("c")
        libc = ctypes.CDLL(name) if name else None
        if libc is None or not hasattr(libc, "prctl"):
            return
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return in_child


PR_SET_PDEATHSIG = 1


@contextmanager
def background_server(host: str, port: int, log_path: str) -> Iterator[str]:
    """A Prefect server for as long as the block runs; yields its API URL."""
    api_url = f"http://{host}:{port}/api"
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            server_command(host, port), env=server_env(host, port), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=die_with_this_process() if sys.platform == "linux" else None,
        )
        try:
            wait_healthy(api_url, process)
            yield api_url
        finally:
            stop_group(process)


def stop_group(
    process: subprocess.Popen, grace: float = 30, sig: int = signal.SIGTERM
) -> None:
    """Stop a process group started with `start_new_session`; return once all of it is gone.

    For the server: and return only once all of it is gone.

    Waiting for the `prefect server start` process alone is not enough: its uvicorn
    workers finish their graceful shutdown a moment later and keep answering until
    then, so whoever started the server could exit with it still up.
    """
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()  # reap the leader: a zombie still counts as a group member
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
