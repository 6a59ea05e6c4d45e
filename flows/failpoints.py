"""Named points where a fault test can kill the run's process, as a crash would.

`NEWSDEDUP_KILL_AT=commit:2 newsdedup run ...` sends SIGKILL to the process at that
point: no exception, no finally blocks, no flush, as with a power cut or the OOM
killer. Unset (always, outside tests and bench/faults.py), a failpoint does nothing.
"""

from __future__ import annotations

import os
import signal

KILL_AT_ENV = "NEWSDEDUP_KILL_AT"

# Where a run can be killed: the stage and the batch number, e.g. "extract:2".
STAGES = ("read", "extract", "link", "write", "commit", "close")


def failpoint(name: str) -> None:
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def page_failpoint(url: str) -> None:
    """`NEWSDEDUP_KILL_AT=page:TEXT` kills the process extracting a page whose URL holds
    TEXT, as a segfault in a parser or the OOM killer would kill a worker on one page."""
    at = os.environ.get(KILL_AT_ENV, "")
    if at.startswith("page:") and at[5:] in url:
        os.kill(os.getpid(), signal.SIGKILL)
