"""A batch that cannot be written (the disk is full) fails with what went wrong, and
leaves the warehouse as it was before the batch."""

import subprocess
import sys

import numpy as np

from dedupe import Fingerprint
from extract.records import stable_id
from tests.conftest import ROOT
from warehouse import connect

# The file size limit stands in for a full disk: DuckDB's COMMIT fails to write its
# log either way, and the limit needs neither root nor a small file system.
WRITER = """
import os, resource, signal, sys
import numpy as np
from dedupe import Fingerprint
from extract.records import stable_id
from warehouse import BatchWrite, connect, writes

fingerprints = [Fingerprint(stable_id(str(n)), np.zeros(128, np.uint32), 1,
                            np.zeros(128, np.uint32), (), np.array([1], np.int64),
                            np.arange(64, dtype=np.int64), 20000) for n in range(50)]
held = connect(sys.argv[1])  # (kept: the generator closes the connection when freed)
con = held.__enter__()
writes.start_run(con, "r", None, ["test"])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(sys.argv[1] + ".wal") + 1024,
                                           resource.RLIM_INFINITY))
try:
    writes.write_batch(con, BatchWrite("r", [], fingerprints), 128, 1)
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
sys.stdout.flush()
os._exit(0)  # as a run killed there would: no checkpoint on the way out
"""


def test_a_batch_the_disk_cannot_take_fails_with_that_reason_and_is_not_half_written(
        tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db):
        pass
    out = subprocess.run([sys.executable, "-c", WRITER, str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120).stdout
    # the error is the COMMIT's, not ROLLBACK's "no transaction is active" that hid it
    assert "Could not write file" in out and "File too large" in out, out
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM fingerprints").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM event_bands").fetchall() == [(0,)]
    # and the next batch, with room, is written
    fingerprints = [Fingerprint(stable_id("x"), np.zeros(128, np.uint32), 1,
                                np.zeros(128, np.uint32), (), np.array([1], np.int64),
                                np.arange(64, dtype=np.int64), 20000)]
    from warehouse import BatchWrite, writes

    with connect(db) as con:
        writes.write_batch(con, BatchWrite("r", [], fingerprints), 128, 1)
        assert con.execute("SELECT count(*) FROM fingerprints").fetchall() == [(1,)]
