"""`reprocess`: stored raw pages extracted and linked again, ids kept where text is."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS
from warehouse import connect
from warehouse.reads import content_snapshot, integrity_problems


def snapshot(db) -> dict:
    with connect(db, read_only=True) as con:
        return content_snapshot(con)


@pytest.fixture
def seeded(tmp_path, prefect_harness):
    from flows.ingest import ingest

    db = str(tmp_path / "w.duckdb")
    ingest(sources=[str(SEEDS)], db=db, batch_size=2)
    return db


def test_reprocess_restores_what_the_extractor_gives_and_keeps_ids(seeded):
    from flows.ingest import reprocess

    before = snapshot(seeded)
    assert len(before["articles"]) == 5
    # As an older extractor might have left it: one article's text wrong, one page
    # failed without an article.
    with connect(seeded) as con:
        first, second = [r[0] for r in before["articles"][:2]]
        con.execute("UPDATE articles SET text = 'stale text' WHERE article_id = ?", [first])
        page = con.execute("SELECT page_id FROM articles WHERE article_id = ?",
                           [second]).fetchall()[0][0]
        con.execute("DELETE FROM event_members WHERE article_id = ?", [second])
        con.execute("DELETE FROM articles WHERE article_id = ?", [second])
        con.execute("UPDATE pages SET error = 'old extractor failed' WHERE page_id = ?", [page])

    summary = reprocess(db=seeded, batch_size=2)

    assert summary["counts"]["pages_reprocessed"] == 5
    assert snapshot(seeded) == before
    with connect(seeded, read_only=True) as con:
        assert integrity_problems(con) == {}
        assert con.execute("SELECT count(*) FROM reprocess_queue").fetchall()[0][0] == 0
        statuses = con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
    assert [s for (s,) in statuses] == ["completed", "completed"]


def test_reprocess_with_another_batch_size_gives_the_same_groups(seeded):
    from flows.ingest import reprocess

    before = snapshot(seeded)
    reprocess(db=seeded, batch_size=200)
    after = snapshot(seeded)
    assert after["articles"] == before["articles"]
    assert after["events"] == before["events"]
