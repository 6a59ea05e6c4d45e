"""The link and write steps of a run's batches, called as the flow calls them."""

import logging
from datetime import UTC, datetime

from dedupe import DedupeSettings
from dedupe.recent import RecentWork
from extract import RawPage
from flows import ingest
from tests.conftest import SEEDS
from warehouse import between_batches, connect, held, reads, writes


def test_what_a_run_knows_of_term_counts_is_what_its_warehouse_holds(tmp_path, monkeypatch):
    """Batches link with the term counts the run carries over from its earlier ones
    (reading only terms it has not met); before each batch, those counts are the
    warehouse's, and the batch is weighed as one that read them all."""
    monkeypatch.setattr(ingest, "get_run_logger", lambda: logging.getLogger("test"))
    pages = [RawPage(p.as_uri(), "seeds", datetime.now(UTC), p.read_bytes(), "text/plain")
             for p in sorted(SEEDS.glob("*.txt"))]
    settings = DedupeSettings()
    work = ingest.extract_pages.fn(pages, 0, None, settings.copy_shingle_words).take()
    db = str(tmp_path / "run.duckdb")
    recent = RecentWork()
    with held(db):
        with connect(db) as con:
            writes.start_run(con, "r", None, ["seeds"])
        for number, batch in enumerate((work[:2], work[2:4], work[4:]), 1):
            with connect(db) as con:
                recent.frequencies.unknown([], reads.indexed_count(con))  # catch up
                stored = reads.stored_frequencies(con, sorted(recent.frequencies.df))
            assert recent.frequencies.df == {t: stored.get(t, 0) for t in recent.frequencies.df}
            assert (number == 1) == (not recent.frequencies.df)

            linked = ingest.link_articles.fn(db, "r", batch, settings, 60.0, False, recent)
            # the same batch on a warehouse as it was, reading every term's count
            alone = ingest.link_articles.fn(db, "r", batch, settings, 60.0, False, None)
            assert linked.term_df == alone.term_df
            assert [f.salient_terms for f in linked.fingerprints] == \
                [f.salient_terms for f in alone.fingerprints]
            ingest.write_batch.fn(db, linked, settings, 60.0, number)
            between_batches(db)
    with connect(db) as con:
        assert recent.frequencies.unknown([], reads.indexed_count(con)) == []
        assert reads.indexed_count(con) == 5 == recent.frequencies.n_docs
