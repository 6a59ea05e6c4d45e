"""The work done on each page away from the warehouse: pure, picklable, run on workers.

Analysing an article's text (tokens, stems, grams) needs nothing stored, so it runs
with the extraction in the worker processes; the flow's own process, which links and
writes and is the one that cannot be parallelised, gets the result.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace

from dedupe import Analysed, analyse
from extract import Extraction, RawPage, extract_page, warm_up
from extract.templates import template_site
from flows.failpoints import page_failpoint
from flows.heap import rarer_young_collections

# One page at a time per process. lxml, trafilatura and htmldate are not safe in two
# threads at once (module-level parsers, trees shared between steps): a run of small
# batches, extracted in the flow's own threads with two batches ahead, died with
# glibc's "double free or corruption" in 1 run of 40 (`bench/faults.py`), in lxml's
# parser in one thread and a tree's copy in another. In worker processes, one thread
# each, the lock is never contended.
_EXTRACTING = threading.Lock()


def start_worker() -> None:
    """What an extraction worker process does once when it starts."""
    warm_up()
    rarer_young_collections()


@dataclass(frozen=True)
class PageWork:
    extraction: Extraction
    analysed: Analysed | None  # None when the page gave no article


def extract_and_analyse(
    page: RawPage, templates: Mapping[str, frozenset[int]] | None = None,
    shingle_words: int | None = None,
) -> PageWork:
    """`templates`: the template line keys of sites, by `template_site`.
    `shingle_words`: the copy index's n, whose shingles are made here too."""
    template = (templates or {}).get(template_site(page.url) or "", frozenset())
    page_failpoint(page.url)
    with _EXTRACTING:
        extraction = extract_page(page, template)
    a = extraction.article
    if a is None:
        return PageWork(extraction, None)
    analysed = analyse(a.text, a.language, a.title)
    # made here, in the worker: every new article needs them
    analysed.counts, analysed.grams  # noqa: B018
    if shingle_words is not None:
        analysed.shingles(shingle_words)
    return PageWork(extraction, analysed)


def extract_and_analyse_away(page: RawPage, **options) -> PageWork:
    """`extract_and_analyse` in a worker process: its result goes back without the page,
    which the flow's process still holds (`with_pages`). The page's bytes, most of what
    a worker returned, crossed the pipe a second time, pickled and unpickled on each
    side (a fifth of a megabyte a news page)."""
    work = extract_and_analyse(page, **options)
    return replace(work, extraction=replace(work.extraction, page=None))


def crashed(page: RawPage, error: BaseException) -> PageWork:
    """The work of a page whose extraction killed its worker process: its error row."""
    return PageWork(Extraction(None, None, None, (
        "extraction crashed its worker process (a crash in a parser, or out of memory); "
        f"the page is left out: {type(error).__name__}")), None)


def with_pages(work: list[PageWork], pages: list[RawPage]) -> list[PageWork]:
    """`extract_and_analyse_away`'s results, in the order of their pages, given them
    back."""
    return [replace(w, extraction=replace(w.extraction, page=p))
            for w, p in zip(work, pages, strict=True)]
