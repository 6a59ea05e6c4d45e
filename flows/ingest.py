"""The ingest flow: sources → pages → articles → fingerprints and links → warehouse.

Thin by design: every step is a call into extract/, dedupe/ or warehouse/; this module
decides only batching, retries, logging and the order of the steps. One task per batch
of pages (not per page) keeps Prefect's per-task overhead small beside the work, and
the batches passed to tasks are wrapped in `quote`: Prefect would otherwise walk every
page and article of them looking for futures, which cost a quarter of a run's time.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

import warehouse.reads as reads
import warehouse.writes as writes
from dedupe import (
    ArticleFacts,
    DedupeSettings,
    Neighbourhood,
    choose_candidates,
    document_frequencies,
    fingerprint,
    link_batch,
)
from dedupe.frequencies import KnownFrequencies
from dedupe.recent import RecentWork
from dedupe.settings import settings_from
from extract import RawPage
from extract.templates import SiteSample
from flows.failpoints import failpoint
from flows.fetch import Fetcher, FetchSettings, Validators
from flows.heap import frozen_heap
from flows.runners import Handover, process_map
from flows.site_samples import SiteSamples
from flows.sources import PageRef, SourceError, discover_source, unchanged_listings
from flows.sources import read_pages as read_source_pages
from flows.summary import RunSummary, format_markdown
from flows.work import (
    PageWork,
    crashed,
    extract_and_analyse,
    extract_and_analyse_away,
    start_worker,
    with_pages,
)
from warehouse import BatchWrite, between_batches, connect, held
from warehouse.connection import DEFAULT_LOCK_WAIT_SECONDS, exclusive_run

DEFAULT_SOURCES = ["seeds"]
DEFAULT_DB = "warehouse/news.duckdb"
DEFAULT_BATCH_SIZE = 200
MAX_ERRORS_SHOWN = 20


def chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@task(name="open-run", cache_policy=NO_CACHE)
def open_run(
    db: str, run_id: str, flow_run_id: str | None, sources: list[str], lock_wait: float
) -> int:
    """Record the run; runs a killed process left 'running' become 'interrupted'."""
    with connect(db, wait_seconds=lock_wait) as con:
        interrupted = writes.mark_interrupted_runs(con)
        writes.start_run(con, run_id, flow_run_id, sources)
    if interrupted:
        get_run_logger().warning(
            "%d earlier run(s) were interrupted; this run finishes their work", interrupted
        )
    return interrupted


@task(name="discover-pages", cache_policy=NO_CACHE)
def discover_pages(source: str | dict, fetch: dict | None) -> tuple[list[PageRef], str | None]:
    """The pages one source names (feeds and sitemaps are fetched here, with the
    fetcher's own retries), or why the source cannot be used."""
    try:
        with Fetcher(FetchSettings.from_dict(fetch)) as fetcher:
            found = discover_source(source, fetcher)
            return found.pages, found.problem
    except SourceError as exc:
        return [], str(exc)
    # One source's unforeseen failure is reported like any unusable source: the
    # run goes on with the others.
    except Exception as exc:
        return [], f"source {source!r} could not be read: {type(exc).__name__}: {exc}"[:500]


@task(name="read-pages", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def read_pages(db: str, refs: list[PageRef], fetch: dict | None, lock_wait: float) -> list[RawPage]:
    """Files and WARC records read; URLs fetched, conditionally where the warehouse
    holds validators from an earlier fetch."""
    urls = [r.location for r in refs if r.kind == "http"]
    with connect(db, wait_seconds=lock_wait) as con:
        stored = reads.http_validators(con, urls)
        last_read = reads.last_content_read(con, [r.location for r in refs if r.listing])
    validators = {url: Validators(etag, modified) for url, (etag, modified) in stored.items()}
    settings = FetchSettings.from_dict(fetch)
    unchanged = unchanged_listings(refs, last_read, datetime.now(UTC), settings.revisit_within)
    with Fetcher(settings) as fetcher:
        return read_source_pages(refs, fetcher, validators, unchanged)


@task(name="queue-reprocess", cache_policy=NO_CACHE)
def queue_reprocess(db: str, lock_wait: float) -> int:
    with connect(db, wait_seconds=lock_wait) as con:
        return writes.start_reprocess(con)


@task(name="read-stored-pages", cache_policy=NO_CACHE)
def read_stored_pages(db: str, limit: int, lock_wait: float) -> list[RawPage]:
    with connect(db, wait_seconds=lock_wait) as con:
        return reads.queued_pages(con, limit)


@task(name="select-new-pages", cache_policy=NO_CACHE)
def select_new_pages(db: str, pages: list[RawPage], lock_wait: float) -> list[RawPage]:
    """Pages whose (url, content) the warehouse already holds are skipped cheaply, as
    are pages the server says have not changed (HTTP 304)."""
    unique = list({p.page_id: p for p in pages if not p.not_modified}.values())
    with connect(db, wait_seconds=lock_wait) as con:
        known = reads.known_page_ids(con, [p.page_id for p in unique])
    return [p for p in unique if p.page_id not in known]


@task(name="read-site-samples", cache_policy=NO_CACHE)
def read_site_samples(
    db: str, sites: set[str], lock_wait: float
) -> dict[str, tuple[SiteSample, ...]]:
    with connect(db, wait_seconds=lock_wait) as con:
        return reads.site_samples(con, sites)


@task(name="extract-pages", cache_policy=NO_CACHE)
def extract_pages(
    pages: list[RawPage], processes: int = 0, templates: dict[str, frozenset[int]] | None = None,
    shingle_words: int | None = None, away_always: bool = False,
) -> Handover[list[PageWork]]:
    """Pure work, safe on any worker: pages in, extractions and analyses out.
    `templates`: the template line keys of the pages' sites; `shingle_words`: the copy
    index's n (`extract_and_analyse`); `away_always`: in the worker processes even when
    the batch is too small to be worth it (`Run.away_always`)."""
    options = {"templates": templates, "shingle_words": shingle_words}
    if processes > 1 and pages and (away_always or len(pages) >= 2 * MIN_PAGES_PER_TASK):
        away = partial(extract_and_analyse_away, **options)
        return Handover(with_pages(process_map(away, pages, processes, initializer=start_worker,
                                               on_crash=crashed), pages))
    return Handover([extract_and_analyse(p, **options) for p in pages])


@task(name="link-articles", cache_policy=NO_CACHE)
def link_articles(
    db: str, run_id: str, work: list[PageWork], settings: DedupeSettings,
    lock_wait: float, reprocessed: bool = False, recent: RecentWork | None = None,
) -> BatchWrite:
    """`recent`: what the run made of the articles linked in its earlier batches."""
    extractions = [w.extraction for w in work]
    articles = [e.article for e in extractions if e.article is not None]
    analysed = {w.extraction.article.article_id: w.analysed for w in work
                if w.extraction.article is not None}
    batch_df = document_frequencies(analysed[a.article_id].terms for a in articles)
    # without a run's, a batch reads the stored frequencies of all its terms
    known = recent.frequencies if recent is not None else KnownFrequencies()
    with connect(db, wait_seconds=lock_wait) as con:
        unknown = known.unknown(batch_df, reads.indexed_count(con))
        known.learn(unknown, reads.stored_frequencies(con, unknown))
        stats = known.weigh(batch_df, len(articles))
        fingerprints = [
            fingerprint(a.article_id, analysed[a.article_id], stats, settings, a.published_at)
            for a in articles
        ]
        matches = reads.band_matches(con, fingerprints, settings)
        new_ids = {a.article_id for a in articles}
        pairs = choose_candidates(fingerprints, matches, settings)
        stored_ids = {aid for pair in pairs for aid in pair} - new_ids
        neighbourhood = Neighbourhood(
            matches=matches,
            stored=reads.stored_articles(con, stored_ids),
            state=reads.group_state(con, stored_ids),
            pairs=pairs,
        )
    new = [
        ArticleFacts(a.article_id, a.text, a.title, a.site, a.published_at,
                     e.page.fetched_at.replace(tzinfo=None), a.language)
        for e in extractions if (a := e.article) is not None
    ]
    result = link_batch(new, analysed, fingerprints, neighbourhood, stats, settings, recent)
    get_run_logger().info("linking: %s", result.stats)
    return BatchWrite(run_id, extractions, fingerprints, batch_df, result.links, result.grouping,
                      reprocessed)


@task(name="write-batch", retries=3, retry_delay_seconds=5, cache_policy=NO_CACHE)
def write_batch(
    db: str, batch: BatchWrite, settings: DedupeSettings, lock_wait: float, number: int
) -> None:
    with connect(db, wait_seconds=lock_wait) as con:
        writes.write_batch(con, batch, settings.num_perm, settings.seed,
                           before_commit=lambda: failpoint(f"commit:{number}"))


@task(name="close-run", cache_policy=NO_CACHE)
def close_run(
    db: str, run_id: str, status: str, counts: dict, error: str | None, lock_wait: float
) -> tuple[dict, list[dict]]:
    """Record how the run ended; the warehouse totals and the run's events."""
    with connect(db, wait_seconds=lock_wait) as con:
        writes.finish_run(con, run_id, status, counts, error)
        return reads.warehouse_totals(con), reads.run_events(con, run_id)


@dataclass
class Run:
    """What every step of one run needs to know."""

    db: str
    batch_size: int
    lock_wait: float
    summary: RunSummary
    settings: DedupeSettings = field(default_factory=DedupeSettings)
    batches: int = 0          # batches whose extraction started
    batches_written: int = 0
    parallelism: int = 1  # extraction tasks per batch
    processes: int = 0    # worker processes per extraction task
    # After a run that was killed, extraction never runs in the flow's own process: if
    # a page had crashed it there (a parser's segfault, the OOM killer), the page would
    # kill every run after it too; in a worker it costs its own row (`process_map`).
    away_always: bool = False
    pages_total: int = 0
    progress_id: object = None  # the run's progress artifact, once there is work to show
    taken: set[str] = field(default_factory=set)  # page ids of this run's batches so far
    recent: RecentWork = field(default_factory=RecentWork)
    sites: SiteSamples = field(init=False)  # template samples of the sites met so far

    def __post_init__(self) -> None:
        self.sites = SiteSamples(partial(read_site_samples, self.db, lock_wait=self.lock_wait))

    def not_yet_taken(self, pages: list[RawPage]) -> list[RawPage]:
        """A page already in an earlier batch of this run that is not yet written (the
        same file under two sources, or listed twice) is not new a second time."""
        fresh = [p for p in pages if p.page_id not in self.taken]
        self.taken.update(p.page_id for p in fresh)
        return fresh

    @contextmanager
    def timed(self, stage: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.summary.seconds[stage] += time.perf_counter() - started

    def progress(self, pages_done: int) -> None:
        """A progress artifact, so a long run shows how far it is in the UI."""
        if not self.pages_total:
            return
        share = min(100.0, 100.0 * pages_done / self.pages_total)
        if self.progress_id is None:
            self.progress_id = create_progress_artifact(
                share, key="newsdedup-run-progress", description="pages done in this run")
        else:
            update_progress_artifact(self.progress_id, share)


@contextmanager
def recorded_run(db: str, sources: list[str], batch_size: int, lock_wait: float):
    """A run row from start to end, whatever happens in between; the summary artifact
    when it completes."""
    summary = RunSummary(uuid.uuid4().hex, flow_run.get_id(), db)
    summary.counts["runs_interrupted_before"] = open_run(
        db, summary.run_id, summary.flow_run_id, sources, lock_wait
    )
    status, error = "completed", None
    try:
        yield Run(db, batch_size, lock_wait, summary,
                  away_always=summary.counts["runs_interrupted_before"] > 0)
    except BaseException as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        failpoint("close:1")
        summary.totals, events = close_run(
            db, summary.run_id, status, dict(summary.counts), error, lock_wait
        )
    publish_artifacts(summary, events)


def publish_artifacts(summary: RunSummary, events: list[dict]) -> None:
    """What the UI's Artifacts page shows of a run, under stable keys."""
    create_markdown_artifact(
        format_markdown(summary.as_dict()), key="newsdedup-run-summary",
        description="newsdedup run summary",
    )
    table = [
        {"event": e["title"] or e["event_id"], "status": "new" if e["new"] else "grown",
         "sites": e["sites"], "articles": e["articles"], "copies": e["copies"],
         "first_seen": str(e["first_seen"]), "event_id": e["event_id"]}
        for e in events
    ]
    create_table_artifact(
        table or [{"event": "(none: nothing new in this run)"}], key="newsdedup-run-events",
        description="events created or grown by this run (largest first, up to 200)",
    )


def store_batch(run: Run, pages: list[RawPage], new: list[RawPage], reprocessed: bool) -> None:
    """Extract, link and write one batch of pages: the steps every page goes through."""
    finish_batch(run, pages, new, start_extraction(run, new), reprocessed)


def start_extraction(run: Run, new: list[RawPage]) -> list[PrefectFuture]:
    """Extraction of a batch submitted to the task runner; the caller links and writes
    the previous batch meanwhile, so the workers are never idle waiting for it."""
    run.batches += 1
    failpoint(f"read:{run.batches}")
    return extraction_futures(new, run.parallelism, run.processes, run.sites.templates(new),
                              run.settings.copy_shingle_words, run.away_always)


def finish_batch(
    run: Run, pages: list[RawPage], new: list[RawPage], futures: list[PrefectFuture],
    reprocessed: bool,
) -> None:
    number = run.batches if reprocessed else run.batches_written + 1
    run.batches_written = number
    with run.timed("extract"):  # what is left of it once the link and write before are done
        work = [w for future in futures for w in future.result().take()]
    failpoint(f"extract:{number}")
    with run.timed("link"):
        batch = link_articles(
            run.db, run.summary.run_id, quote(work), run.settings, run.lock_wait, reprocessed,
            quote(run.recent))
        batch = run.sites.learn_from(batch)
    extractions = batch.extractions
    failpoint(f"link:{number}")
    with run.timed("write"):
        write_batch(run.db, quote(batch), run.settings, run.lock_wait, number)
    run.sites.forget_all_but(set(batch.site_samples))
    failpoint(f"write:{number}")
    between_batches(run.db, run.lock_wait)
    run.summary.count_batch(pages, new, batch)
    for e in extractions:
        if e.error and len(run.summary.errors) < MAX_ERRORS_SHOWN:
            run.summary.errors.append((e.page.url, e.error))
    get_run_logger().info("batch %d: %s", number, dict(run.summary.counts))


# Below this many pages per task, a task's overhead outweighs what it parallelises.
MIN_PAGES_PER_TASK = 20


def extraction_futures(
    pages: list[RawPage], parallelism: int, processes: int,
    templates: dict[str, frozenset[int]] | None = None, shingle_words: int | None = None,
    away_always: bool = False,
) -> list[PrefectFuture]:
    """Extraction, the bound, split over the task runner's workers (a cluster's) or
    over worker processes here; the futures' results come back in page order."""
    n = max(1, min(parallelism, len(pages) // MIN_PAGES_PER_TASK))
    size = max(1, -(-len(pages) // n))
    # Not quoted: a cluster's task runner would hand the wrapper itself to the task.
    return [extract_pages.submit(part, processes, templates, shingle_words, away_always)
            for part in chunks(pages, size)] or [extract_pages.submit([], processes)]


def drain_reprocess_queue(run: Run) -> None:
    """Stored pages queued by `reprocess` (this one, or one that was interrupted)."""
    while pages := read_stored_pages(run.db, run.batch_size, run.lock_wait):
        run.summary.counts["pages_reprocessed"] += len(pages)
        store_batch(run, pages, pages, reprocessed=True)


@flow(name="newsdedup-ingest")
def ingest(
    sources: list[str | dict] | None = None,
    db: str = DEFAULT_DB,
    batch_size: int = DEFAULT_BATCH_SIZE,
    lock_wait: float = DEFAULT_LOCK_WAIT_SECONDS,
    fetch: dict | None = None,
    extract_tasks: int = 1,
    extract_processes: int = 0,
    dedupe: dict | None = None,
) -> dict:
    """Read every page of the sources, extract articles, link copies and events, store.

    `sources`: paths or URLs, or source specs ({name, kind, location}) from
    sources.toml. `lock_wait`: seconds to wait, with backoff, for another run or a
    reader holding the warehouse before failing (nothing of this run is written by
    then). `fetch`: HTTP settings (flows.fetch.FetchSettings fields). `extract_tasks`:
    extraction tasks per batch, for the flow's task runner (a cluster); and
    `extract_processes`: worker processes per extraction task on this machine.
    `dedupe`: DedupeSettings scoring and grouping fields over the defaults.
    """
    db = str(Path(db).expanduser())
    sources = list(sources or DEFAULT_SOURCES)
    logger = get_run_logger()
    with frozen_heap(), exclusive_run(db, lock_wait), held(db, lock_wait), \
            recorded_run(db, sources, batch_size, lock_wait) as run:
        run.parallelism, run.processes = extract_tasks, extract_processes
        run.settings = settings_from(dedupe)
        drain_reprocess_queue(run)
        refs: list[PageRef] = []
        for source in sources:
            with run.timed("discover"):
                found, problem = discover_pages(source, fetch)
            refs.extend(found)
            if problem:
                logger.error("%s", problem)
                run.summary.counts["sources_failed"] += 1
                run.summary.errors.append((str(source), problem))
        logger.info("%d pages in %d sources", len(refs), len(sources))
        run.pages_total = len(refs)
        # Batches N+1 and N+2 are read and their extraction started before batch N is
        # linked and written: extraction runs in worker processes while this process
        # links, and with one batch ahead only, the workers finished it early in the
        # link and sat idle for the rest of it and the write.
        in_flight: deque[tuple] = deque()
        done = 0
        for batch_refs in chunks(refs, batch_size):
            with run.timed("read"):
                pages = read_pages(db, quote(batch_refs), fetch, lock_wait)
                new = run.not_yet_taken(select_new_pages(db, quote(pages), lock_wait))
            in_flight.append((pages, new, start_extraction(run, new), len(batch_refs)))
            if len(in_flight) > EXTRACTION_AHEAD:
                done = finish_next(run, in_flight, done)
        while in_flight:
            done = finish_next(run, in_flight, done)
    return run.summary.as_dict()


# Batches whose extraction runs while an earlier one is linked and written.
EXTRACTION_AHEAD = 2


def finish_next(run: Run, in_flight: deque[tuple], done: int) -> int:
    pages, new, futures, n_refs = in_flight.popleft()
    finish_batch(run, pages, new, futures, reprocessed=False)
    run.progress(done + n_refs)
    return done + n_refs


@flow(name="newsdedup-reprocess")
def reprocess(
    db: str = DEFAULT_DB,
    batch_size: int = DEFAULT_BATCH_SIZE,
    lock_wait: float = DEFAULT_LOCK_WAIT_SECONDS,
    dedupe: dict | None = None,
) -> dict:
    """Extract and link every stored page again (after an extractor or settings
    change), from the raw bytes the warehouse kept. Pages are taken in the order they
    were first read, so where the text did not change the article and event ids do
    not either. Interrupted, it is resumed by the next run or reprocess."""
    db = str(Path(db).expanduser())
    with frozen_heap(), exclusive_run(db, lock_wait), held(db, lock_wait), \
            recorded_run(db, ["reprocess"], batch_size, lock_wait) as run:
        run.settings = settings_from(dedupe)
        queued = queue_reprocess(db, lock_wait)
        get_run_logger().info("%d stored pages to extract again", queued)
        drain_reprocess_queue(run)
    return run.summary.as_dict()
