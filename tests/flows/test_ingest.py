"""The flow end to end on the seeds, under one session-wide Prefect harness."""

import shutil

import duckdb
import pytest

from tests.conftest import SEEDS, seed_path

pytestmark = pytest.mark.usefixtures("prefect_harness")

TABLES = ["pages", "articles", "fingerprints", "copy_bands", "event_bands", "term_df", "links",
          "near_duplicates", "events", "event_members"]


def run(sources, db):
    from flows.ingest import ingest

    return ingest(sources=[str(s) for s in sources], db=str(db))


def counts(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES + ["runs"]}


def event_groups(db):
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT m.event_id, regexp_extract(a.url, '/(\\d{3})_[^/]*$', 1) FROM event_members m "
            "JOIN articles a USING (article_id)"
        ).fetchall()
    groups = {}
    for event, seed in rows:
        groups.setdefault(event, set()).add(seed)
    return groups


def test_seeds_end_to_end(tmp_path):
    db = tmp_path / "news.duckdb"
    result = run([SEEDS], db)
    assert result["counts"]["pages_read"] == 5
    assert result["counts"]["articles"] == 5
    assert result["counts"]["pages_failed"] == 0
    assert result["counts"]["boilerplate_lines"] > 0
    assert result["flow_run_id"]
    assert sorted(map(sorted, event_groups(db).values())) == [["000", "001", "004"], ["002"], ["003"]]
    c = counts(db)
    assert c["near_duplicates"] == 0
    assert c["events"] == 3 and c["event_members"] == 5
    with duckdb.connect(str(db), read_only=True) as con:
        run_row = con.execute("SELECT status, flow_run_id, articles FROM runs").fetchall()
        urls = [r[0] for r in con.execute("SELECT url FROM pages").fetchall()]
        texts = con.execute("SELECT text FROM articles").fetchall()
        n_sigs = con.execute("SELECT min(len(copy_minhash)) FROM fingerprints").fetchall()[0][0]
    assert run_row == [("completed", result["flow_run_id"], 5)]
    assert all(u.startswith("file:///") for u in urls)
    assert all("\n\n" in t for (t,) in texts)
    assert n_sigs == 128


def test_second_run_on_same_input_adds_only_a_run_row(tmp_path):
    db = tmp_path / "news.duckdb"
    run([SEEDS], db)
    before = counts(db)
    result = run([SEEDS], db)
    after = counts(db)
    assert result["counts"]["pages_unchanged"] == 5
    assert after["runs"] == before["runs"] + 1
    assert {t: after[t] for t in TABLES} == {t: before[t] for t in TABLES}


def test_later_pages_join_existing_events_without_recomputing_old_ones(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for p in ("000", "002", "003"):
        shutil.copy(seed_path(p), first)
    for p in ("001", "004"):
        shutil.copy(seed_path(p), second)
    db = tmp_path / "news.duckdb"
    run([first], db)
    with duckdb.connect(str(db), read_only=True) as con:
        sigs_before = con.execute("SELECT article_id, copy_minhash FROM fingerprints").fetchall()
        event_000 = con.execute(
            "SELECT event_id FROM event_members JOIN articles USING (article_id) "
            "WHERE url LIKE '%/000_%'").fetchall()[0][0]
    run([second], db)
    groups = event_groups(db)
    assert groups[event_000] == {"000", "001", "004"}  # the old event grew, same id
    with duckdb.connect(str(db), read_only=True) as con:
        sigs_after = dict(con.execute("SELECT article_id, copy_minhash FROM fingerprints").fetchall())
        n_articles = con.execute(
            "SELECT n_articles FROM events WHERE event_id = ?", [event_000]).fetchall()[0][0]
    assert all(sigs_after[a] == s for a, s in sigs_before)
    assert n_articles == 3


def test_a_bad_file_among_good_ones_gets_an_error_row_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(seed_path("001"), folder)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 50)
    (folder / "ignored.jpg").write_bytes(b"\xff\xd8\xff")
    db = tmp_path / "news.duckdb"
    result = run([folder], db)
    assert result["counts"]["pages_read"] == 3
    assert result["counts"]["pages_failed"] == 2
    assert result["counts"]["articles"] == 1
    with duckdb.connect(str(db), read_only=True) as con:
        errors = dict(con.execute(
            "SELECT regexp_extract(url, '[^/]+$'), error FROM pages WHERE error IS NOT NULL"
        ).fetchall())
        status = con.execute("SELECT status, pages_failed FROM runs").fetchall()
    assert errors == {"empty.html": "empty page",
                      "binary.txt": "binary content, not a text or HTML page"}
    assert status == [("completed", 2)]


def test_run_artifacts_progress_summary_and_events_table(tmp_path):
    import json

    import httpx
    from prefect.settings import PREFECT_API_URL

    from flows.ingest import ingest

    result = ingest(sources=[str(SEEDS)], db=str(tmp_path / "w.duckdb"), batch_size=2)
    response = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter", json={
        "artifacts": {"flow_run_id": {"any_": [result["flow_run_id"]]}}})
    by_key = {a["key"]: a for a in response.json()}
    assert by_key["newsdedup-run-progress"]["type"] == "progress"
    assert float(by_key["newsdedup-run-progress"]["data"]) == 100.0
    summary = by_key["newsdedup-run-summary"]["data"]
    assert "| articles extracted | 5 |" in summary
    assert "| extract |" in summary and "| link |" in summary
    table = by_key["newsdedup-run-events"]["data"]
    rows = table if isinstance(table, list) else json.loads(table)
    assert sorted(r["articles"] for r in rows) == [1, 1, 3]
    assert {r["status"] for r in rows} == {"new"}
    assert all(r["sites"] is None or isinstance(r["sites"], str) for r in rows)


READER_DURING_RUN = """
import sys, time
import duckdb
from warehouse import connect
print("ready", flush=True)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        with connect(sys.argv[1], read_only=True, wait_seconds=60) as con:
            status = [s for (s,) in con.execute("SELECT status FROM runs").fetchall()]
            pages = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
    except duckdb.Error:  # the run has not made the file yet
        status = []
    if status:
        print(status[0], pages)
        break
    time.sleep(0.02)
"""


def test_a_query_during_a_run_gets_in_between_its_batches(tmp_path):
    """The run holds the warehouse open from start to end; a reader that comes while
    it goes is let in at the next batch, not kept out until the run ends."""
    import subprocess
    import sys

    from flows.ingest import ingest
    from tests.conftest import ROOT

    db = tmp_path / "news.duckdb"
    reader = subprocess.Popen([sys.executable, "-c", READER_DURING_RUN, str(db)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"  # trying before the run starts
    result = ingest(sources=[str(SEEDS)], db=str(db), batch_size=1)
    assert reader.wait(120) == 0, reader.stderr.read()
    status, pages = reader.stdout.read().split()
    # The runs row says 'running' from the run's first step to its last, all of it with
    # the file held: the reader was let in between batches.
    assert status == "running", (status, pages)
    assert result["counts"]["articles"] == 5
