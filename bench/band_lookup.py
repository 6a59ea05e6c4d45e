"""The band lookup for one text stored N times (a consent or error page a crawl holds
thousands of), undated, both ways an undated batch looks its keys up.

    .venv/bin/python bench/band_lookup.py [--stored 1000 3000 6000] [--out FILE]

N stored articles with the same 32 copy keys and 128 event keys and no date; then a
batch of 200 more is looked up in the warehouse with its keys expanded into every
stored time bucket (few buckets), and with the buckets masked off (what a batch of
undated articles in a warehouse spanning years does, `reads.MAX_EXPANDED_KEYS`).
Reported: seconds (wall and CPU) of each lookup and the matches found, which must be
the same both ways. Until session 47 the masked lookup joined every stored copy on
each crowded key and grew with N.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe import DedupeSettings, Fingerprint  # noqa: E402
from extract.records import stable_id  # noqa: E402
from warehouse import BatchWrite, connect, reads, writes  # noqa: E402


def fingerprint(name: str, copy_keys: np.ndarray, event_keys: np.ndarray) -> Fingerprint:
    signature = np.zeros(128, np.uint32)
    return Fingerprint(stable_id(name), signature, 1, signature, (), copy_keys.copy(),
                       event_keys.copy(), None)


def lookups(stored: int, settings: DedupeSettings) -> dict:
    rng = np.random.default_rng(1)
    copy_keys = rng.integers(-(2**62), 2**62, 32)
    event_keys = rng.integers(-(2**62), 2**62, settings.event_bands)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp, "w.duckdb")
        with connect(db) as con:
            writes.start_run(con, "r", None, ["bench"])
            for start in range(0, stored, 500):
                batch = [fingerprint(f"s{i}", copy_keys, event_keys)
                         for i in range(start, min(stored, start + 500))]
                writes.write_batch(con, BatchWrite("r", [], batch), 128, 1)
        new = [fingerprint(f"new{i}", copy_keys, event_keys) for i in range(200)]
        with connect(db, read_only=True) as con:
            for way, limit in (("expanded", reads.MAX_EXPANDED_KEYS), ("masked", 0)):
                wall, cpu = time.perf_counter(), time.process_time()
                found = reads.band_matches(con, new, settings, max_expanded_keys=limit)
                out[way] = {"wall_s": round(time.perf_counter() - wall, 3),
                            "cpu_s": round(time.process_time() - cpu, 3),
                            "matches": len(found)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, nargs="+", default=[1000, 3000, 6000])
    parser.add_argument("--out", default="bench/results/band_lookup.json")
    args = parser.parse_args()
    results = {}
    for stored in args.stored:
        results[stored] = lookups(stored, DedupeSettings())
        print(stored, json.dumps(results[stored]), flush=True)
    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
