"""The link and write stages alone: what the flow process does per batch, outside Prefect.

    .venv/bin/python bench/linking.py [--copies 6] [--small-pages N] [--one-text N]
                                      [--without-recent] [--profile OUT]

The pages of `bench/pipeline.py`'s corpus (the same files, built there and cached) are
extracted and analysed once in a pool of worker processes and cached as a pickle; then
each batch of 200 goes through the flow's own `link-articles` and `write-batch` task
functions (without Prefect's engine) into a new warehouse, as one run would. Reported:
CPU and wall seconds of linking and of writing, what was found (the same counts must
come out of every variant), the resident memory after each fifth batch, and the hits
and misses of the shingles and grams kept from earlier batches.
The loaded corpus is frozen out of the garbage collector's reach (`gc.freeze`), as the
flow process never holds it. `--without-recent`: no shingles or grams kept from
earlier batches (`dedupe/recent.py`), the baseline of what keeping them saves.
`--small-pages N`: `bench/pipeline.py --small-pages N`'s short generated pages
instead, a stream with almost no copies, where every article is scored as an event
against up to 20 stored ones (the copies' corpus skips most of that scoring).
`--one-text N`: N copies of one text page (seed 001), as a crawl holds thousands of one
consent or error page: what linking costs when every key of a text is shared by all
the copies stored before it (it grew with the square of N until session 46).
`--profile OUT`: cProfile of the link stage (it inflates Python-heavy code: the
in-batch band counts were 11 % of its time, and 1.5 of ~60 CPU seconds timed alone).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import logging
import pickle
import sys
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from data_sets import DataSets, add_arguments, data_sets  # noqa: E402
from pipeline import CACHE, CORPUS_VERSION, build_corpus, build_small_corpus  # noqa: E402

import flows.ingest as ingest  # noqa: E402
import warehouse.writes as writes  # noqa: E402
from dedupe import DedupeSettings  # noqa: E402
from dedupe.recent import RecentWork  # noqa: E402
from flows.runners import process_map  # noqa: E402
from flows.sources import discover, read_pages  # noqa: E402
from flows.work import extract_and_analyse, start_worker  # noqa: E402
from warehouse import between_batches, connect, held  # noqa: E402

BATCH = 200


def one_text_corpus(n: int) -> Path:
    folder = CACHE / f"one-text-{n}"
    if not folder.exists():
        folder.mkdir(parents=True)
        text = next((ROOT / "seeds").glob("001_*.txt")).read_bytes()
        for i in range(n):
            (folder / f"{i:06d}.txt").write_bytes(text)
    return folder


def extracted(sets: DataSets, copies: int, small_pages: int = 0, one_text: int = 0
              ) -> list[list]:
    """The corpus's pages extracted and analysed, in the flow's batches (cached)."""
    # named for what the workers hand over: v2 carries the copy shingles, v3 packs
    # the analyses' words and counters (`Analysed.__getstate__`)
    name = (f"one{one_text}" if one_text else f"small{small_pages}" if small_pages
            else f"x{copies}")
    cached = CACHE / f"linking-work-v3-{name}-corpus{CORPUS_VERSION}{sets.pages_tag}.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    folder = (one_text_corpus(one_text) if one_text
              else build_small_corpus(sets, small_pages) if small_pages
              else build_corpus(sets, copies))
    refs = discover(str(folder))
    batches = []
    for start in range(0, len(refs), BATCH):
        pages = read_pages(refs[start : start + BATCH], None, {})
        work = partial(extract_and_analyse, shingle_words=DedupeSettings().copy_shingle_words)
        batches.append(process_map(work, pages, 2, initializer=start_worker))
    cached.write_bytes(pickle.dumps(batches, protocol=pickle.HIGHEST_PROTOCOL))
    return batches


def run(batches: list[list], recent: RecentWork | None, profile: Path | None) -> dict:
    # The task functions log through Prefect's run logger, which needs a run context.
    ingest.get_run_logger = lambda: logging.getLogger("bench.linking")
    settings, run_id = DedupeSettings(), uuid.uuid4().hex
    seconds = {"link_cpu": 0.0, "link_wall": 0.0, "write_cpu": 0.0, "write_wall": 0.0}
    rss = []
    profiler = cProfile.Profile() if profile else None
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp, "linking.duckdb"))
        with held(db):  # as the flow holds its warehouse for a run
            with connect(db) as con:
                writes.start_run(con, run_id, None, ["bench"])
            for number, work in enumerate(batches, 1):
                wall, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                batch = ingest.link_articles.fn(db, run_id, work, settings, 60.0, False, recent)
                if profiler:
                    profiler.disable()
                seconds["link_wall"] += time.perf_counter() - wall
                seconds["link_cpu"] += time.process_time() - cpu
                wall, cpu = time.perf_counter(), time.process_time()
                ingest.write_batch.fn(db, batch, settings, 60.0, number)
                between_batches(db)
                seconds["write_wall"] += time.perf_counter() - wall
                seconds["write_cpu"] += time.process_time() - cpu
                if number % 5 == 0:
                    rss.append(psutil.Process().memory_info().rss // 2**20)
            closing = time.perf_counter(), time.process_time()
        # closing the held connection checkpoints what was written since the last one
        seconds["write_wall"] += time.perf_counter() - closing[0]
        seconds["write_cpu"] += time.process_time() - closing[1]
        with connect(db, read_only=True) as con:
            found = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                     for t in ("links", "near_duplicates", "events")}
    if profiler:
        profiler.dump_stats(str(profile))
    return {"pages": sum(map(len, batches)), "batches": len(batches),
            **{k: round(v, 1) for k, v in seconds.items()}, "found": found,
            "recent": {**{name: {"articles": len(kept), "mb": round(kept.nbytes / 2**20, 1),
                                 "hits": kept.hits, "misses": kept.misses}
                          for name, kept in (("shingles", recent.shingles),
                                             ("grams", recent.grams))},
                       "frequencies": {"terms_known": len(recent.frequencies.df),
                                       "terms_read": recent.frequencies.reads}}
                      if recent else None,
            "rss_mb_every_5_batches": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--small-pages", type=int, default=0)
    parser.add_argument("--one-text", type=int, default=0)
    parser.add_argument("--without-recent", action="store_true")
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    batches = extracted(data_sets(args), args.copies, args.small_pages, args.one_text)
    # The flow process holds a batch or two, not the whole extracted corpus: frozen, the
    # corpus's millions of objects are not walked by every full collection of the link
    # stage (6 of its ~68 CPU seconds when they were: the bench overstated linking).
    gc.freeze()
    recent = None if args.without_recent else RecentWork()
    print(json.dumps(run(batches, recent, args.profile), indent=2))


if __name__ == "__main__":
    main()
