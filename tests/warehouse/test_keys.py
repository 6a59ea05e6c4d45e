"""The tables that grow with the articles keep each key once without a key index, so a
batch's writes do not load an index the size of the warehouse into memory."""

from dedupe import Grouping
from tests.warehouse.test_held import held_mib
from tests.warehouse.test_queries import extraction
from warehouse import BatchWrite, connect, writes
from warehouse.reads import integrity_problems

STORED = 300_000


def fill(con, n: int) -> None:
    """n stored articles with their pages, fingerprints and events, ids as hashes."""
    con.execute(f"""
        CREATE TEMP TABLE ids AS
        SELECT left(md5('p' || i), 16) AS page_id, left(md5('a' || i), 16) AS article_id
        FROM range({n}) r(i)""")
    con.execute("INSERT INTO pages (page_id, url, content_hash, fetched_at, run_id) "
                "SELECT page_id, 'https://old.example/' || page_id, page_id, now(), 'old' "
                "FROM ids")
    con.execute("INSERT INTO articles (article_id, page_id, url, text, seen_at, run_id) "
                "SELECT article_id, page_id, 'https://old.example/' || page_id, 'text', "
                "now(), 'old' FROM ids")
    con.execute("INSERT INTO fingerprints SELECT article_id, 128, 1, [1], 1, [1], ['a'] "
                "FROM ids")
    con.execute("INSERT INTO event_members SELECT article_id, article_id, 'old' FROM ids")
    con.execute("INSERT INTO events SELECT article_id, 't', now(), now(), 1, 1, 0, 'old', "
                "'old' FROM ids")
    con.execute("DROP TABLE ids")


def batch_of(run_id: str, names: list[str]) -> BatchWrite:
    ex = [extraction(name, 1) for name in names]
    members = [(f"event-{name}", e.article.article_id) for name, e in zip(names, ex, strict=True)]
    grouping = Grouping([], members, [e for e, _ in members], {e for e, _ in members})
    return BatchWrite(run_id, ex, grouping=grouping)


def test_a_batch_into_a_big_warehouse_loads_no_key_index(tmp_path):
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        fill(con, STORED)
    with connect(db) as con:  # opened again: nothing of the tables in memory
        writes.start_run(con, "r", None, ["test"])
        writes.write_batch(con, batch_of("r", [f"new{i}" for i in range(200)]), 128, 1)
        # With a PRIMARY KEY on the four tables, this insert loaded their indexes
        # whole: ~13 MB each at this size, ~44 MB each at a million articles.
        assert held_mib(con, "ART_INDEX") < 1
        counts = con.execute("SELECT (SELECT count(*) FROM articles), "
                             "(SELECT count(*) FROM events)").fetchall()[0]
        assert counts == (STORED + 200, STORED + 200)
        assert not [rule for rule in integrity_problems(con) if "stored twice" in rule]


def test_keys_stay_unique_when_a_batch_is_written_again_or_repeats_a_row(tmp_path):
    db = tmp_path / "w.duckdb"
    first = batch_of("r1", ["a", "b"])
    again = BatchWrite("r2", first.extractions + first.extractions[:1],
                       grouping=first.grouping)
    with connect(db) as con:
        writes.start_run(con, "r1", None, ["test"])
        writes.write_batch(con, first, 128, 1)
        writes.start_run(con, "r2", None, ["test"])
        writes.write_batch(con, again, 128, 1)  # a retry, and a page twice in it
        tables = ("pages", "articles", "event_members", "events")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}
        events = con.execute("SELECT event_id, created_run_id, updated_run_id, n_articles "
                             "FROM events ORDER BY event_id").fetchall()
        assert not [rule for rule in integrity_problems(con) if "stored twice" in rule]
    assert counts == dict.fromkeys(tables, 2)
    # The event made by the first run is still its, refreshed by the second.
    assert events == [("event-a", "r1", "r2", 1), ("event-b", "r1", "r2", 1)]
