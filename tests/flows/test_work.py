import gc
import pickle
import weakref
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pytest

from dedupe import DedupeSettings
from dedupe.minhash import distinct, shingle_hashes
from extract import RawPage
from flows.ingest import extract_pages

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_extraction_ships_the_copy_shingles_the_flow_links_with():
    """The pages' copy shingles are made with the extraction, for the n the run's
    settings give, and survive the trip back from a worker process (a pickle)."""
    n = DedupeSettings().copy_shingle_words
    pages = [RawPage(path.as_uri(), "seeds", datetime.now(UTC), path.read_bytes(), "text/plain")
             for path in sorted(SEEDS.glob("*.txt"))]
    work = pickle.loads(pickle.dumps(extract_pages.fn(pages, 0, None, n).take()))
    assert len(work) == len(pages)
    for w in work:
        made = w.analysed.__dict__.get("_shingles", {})
        assert set(made) == {n}
        assert np.array_equal(made[n], distinct(shingle_hashes(w.analysed.tokens, n)))
    # without an n (a caller that links elsewhere), nothing is made ahead
    bare = extract_pages.fn(pages[:1], 0).take()
    assert "_shingles" not in bare[0].analysed.__dict__


def test_an_analysis_travels_without_its_languages_stop_list():
    """What a worker sends back for each article leaves out the language's stop stems
    (one cached set per language); the flow's process gets the same set back from the
    cache, and the same counts and passages from it."""
    pages = [RawPage(path.as_uri(), "seeds", datetime.now(UTC), path.read_bytes(), "text/plain")
             for path in sorted(SEEDS.glob("*.txt"))]
    for w in extract_pages.fn(pages, 0, None, DedupeSettings().copy_shingle_words).take():
        made = w.analysed
        assert "stops" in made.__dict__ and len(made.stops) > 50
        shipped = pickle.loads(pickle.dumps(made))
        assert "stops" not in shipped.__dict__
        assert shipped.counts == made.counts and shipped.grams == made.grams
        assert shipped.stops == made.stops


def test_pages_of_batches_extracted_in_the_flows_threads_go_one_at_a_time(monkeypatch):
    """Small batches are extracted in the flow process's threads, several batches at
    once; lxml and trafilatura corrupted the heap when two threads ran them together,
    so a process extracts one page at a time."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import flows.work as work

    inside, most = 0, 0
    count = threading.Lock()
    real = work.extract_page

    def watched(page, template):
        nonlocal inside, most
        with count:
            inside += 1
            most = max(most, inside)
        time.sleep(0.02)  # long enough for another thread to come in, were it let
        try:
            return real(page, template)
        finally:
            with count:
                inside -= 1

    monkeypatch.setattr(work, "extract_page", watched)
    pages = [RawPage(path.as_uri(), "seeds", datetime.now(UTC), path.read_bytes(), "text/plain")
             for path in sorted(SEEDS.glob("*.txt"))]
    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda batch: extract_pages.fn(batch, 0).take(), [pages] * 4))
    assert most == 1
    assert all(w.extraction.article is not None for batch in batches for w in batch)


def test_a_starting_process_does_not_import_datasketch_and_scipy():
    """The CLI's flow and each extraction worker import these modules when they start;
    datasketch pulls in scipy (0.6 s), and only signatures need it, so it waits for the
    first one. The signature is still datasketch's."""
    import subprocess
    import sys

    code = ("import sys, flows.work, flows.ingest\n"
            "print(sorted({'datasketch', 'scipy'} & set(sys.modules)))\n"
            "from dedupe.minhash import datasketch_minhash, signature\n"
            "m = datasketch_minhash(128, 1)\n"
            "m.update(b'a b c')\n"
            "print((m.hashvalues == signature({'a b c'}, 128, 1)).all())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=SEEDS.parent, timeout=120)
    assert out.stdout.split("\n")[:2] == ["[]", "True"], out.stderr


@pytest.mark.usefixtures("prefect_harness")
def test_a_batch_taken_from_its_submitted_task_is_freed_without_the_cycle_collector():
    """Prefect's future of a submitted task holds its result in reference cycles; the
    flow takes the batch out of it, so the pages and analyses go as soon as the flow is
    done with them, not at the next full collection (memory: `flows.runners.Handover`)."""
    from prefect import flow

    from flows.ingest import extraction_futures

    pages = [RawPage(path.as_uri(), "seeds", datetime.now(UTC), path.read_bytes(), "text/plain")
             for path in sorted(SEEDS.glob("*.txt"))]

    @flow
    def extract_and_drop() -> tuple[list, list]:
        futures = extraction_futures(pages, 1, 0)
        gc.disable()  # from here, only reference counts free anything
        work = [w for future in futures for w in future.result().take()]
        refs = [weakref.ref(w) for w in work]
        del work
        return futures, refs  # the futures outlive the batch, as in a run

    gc.collect()
    try:
        futures, refs = extract_and_drop()
        assert len(refs) == len(pages)
        assert all(ref() is None for ref in refs)
        with pytest.raises(RuntimeError):
            futures[0].result().take()  # taken once
    finally:
        gc.enable()


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """A run freezes what is alive when it starts and collects less often
    (`flows.heap`); a process that runs flow after flow gets both back after each."""
    from flows.ingest import ingest

    before = gc.get_threshold(), gc.get_freeze_count()
    ingest(sources=[str(SEEDS)], db=str(tmp_path / "news.duckdb"))
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    with pytest.raises(duckdb.Error):  # a run that fails: its warehouse is a folder
        ingest(sources=[str(SEEDS)], db=str(tmp_path), lock_wait=0)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_a_workers_result_crosses_back_without_the_page_and_gets_it_again():
    """A worker process returns each page's extraction without the page (whose bytes
    the flow's process holds); the batch comes back as the same extractions of the
    same pages, in order, as extracting in the flow's process gives."""
    from flows.ingest import MIN_PAGES_PER_TASK
    from flows.work import extract_and_analyse_away

    paths = sorted(SEEDS.glob("*.txt"))
    pages = [RawPage(f"{paths[i % len(paths)].as_uri()}?copy={i}", "seeds", datetime.now(UTC),
                     paths[i % len(paths)].read_bytes(), "text/plain")
             for i in range(2 * MIN_PAGES_PER_TASK)]
    shipped = pickle.dumps(extract_and_analyse_away(pages[0]))
    assert pages[0].body not in shipped
    pooled = extract_pages.fn(pages, 2).take()
    serial = extract_pages.fn(pages, 0).take()
    assert [w.extraction.page for w in pooled] == pages
    assert [w.extraction for w in pooled] == [w.extraction for w in serial]
    assert [w.analysed.tokens for w in pooled] == [w.analysed.tokens for w in serial]


def test_extraction_workers_collect_young_objects_less_often():
    """An extraction worker lives for a run and allocates page after page, all freed by
    reference counts; at Python's default it ran a young collection every page or so
    for nothing (`flows.heap.rarer_young_collections`)."""
    from flows.heap import YOUNG_THRESHOLD
    from flows.ingest import MIN_PAGES_PER_TASK
    from flows.runners import process_map

    path = sorted(SEEDS.glob("*.txt"))[0]
    pages = [RawPage(f"{path.as_uri()}?copy={i}", "seeds", datetime.now(UTC), path.read_bytes(),
                     "text/plain") for i in range(2 * MIN_PAGES_PER_TASK)]
    extract_pages.fn(pages, 2).take()  # the run's pool, started as a run starts it
    # what each worker says of its own collector (eval: a picklable function of one item)
    asked = ["__import__('gc').get_threshold()[0]"] * 8
    assert set(process_map(eval, asked, 2)) == {YOUNG_THRESHOLD}
    assert gc.get_threshold()[0] != YOUNG_THRESHOLD  # this process left as it was
