"""Pages whose bytes, together, are more than DuckDB may hold in memory."""

from __future__ import annotations

from tests.flows.http_site import story
from warehouse import connect
from warehouse.reads import content_snapshot

PAGES = 24
PADDING = 4 * 2**20  # bytes of script per page: 96 MB of pages in all


def big_page(n: int) -> bytes:
    script = f"<script>var page{n} = [{'1234567890,' * (PADDING // 11)}];</script>".encode()
    return story(n).replace(b"</head>", script + b"</head>")


def test_a_warehouse_of_pages_larger_than_duckdbs_memory_runs_again_and_reprocesses(
        tmp_path, monkeypatch, prefect_harness):
    """Every run reads stored pages back (a reprocess left unfinished), and `reprocess`
    reads them all. Kept with DuckDB's own ZSTD, a read of the raw column unpacked 2,048
    pages at once: past the memory limit, a run on the warehouse failed before reading
    a page (so did the run after the first on 974 benchmark pages fetched over HTTP,
    173 MB, at a run's 256 MB). Each page's bytes are compressed on their own now."""
    from flows.ingest import ingest, reprocess

    monkeypatch.setenv("NEWSDEDUP_DUCKDB_MEMORY", "48MB")
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(PAGES):
        (folder / f"{n:02d}.html").write_bytes(big_page(n))
    db = str(tmp_path / "w.duckdb")
    first = ingest(sources=[str(folder)], db=db, batch_size=8)["counts"]
    assert first["articles"] == PAGES
    again = ingest(sources=[str(folder)], db=db, batch_size=8)["counts"]
    assert again["pages_unchanged"] == PAGES and again.get("pages_new", 0) == 0
    with connect(db, read_only=True) as con:
        before = content_snapshot(con)
    assert reprocess(db=db, batch_size=8)["counts"]["pages_reprocessed"] == PAGES
    with connect(db, read_only=True) as con:
        assert content_snapshot(con) == before


def test_a_version_11_warehouse_gets_each_page_compressed_and_reprocesses_the_same(
        tmp_path, prefect_harness):
    """Version 12 compresses each page's raw bytes on its own. A version 11 warehouse
    (the bytes as read, in a column DuckDB compresses) is rebuilt so, and a reprocess
    of it finds the same pages: their ids are hashes of the bytes read back."""
    import duckdb

    from flows.ingest import ingest, reprocess
    from tests.conftest import SEEDS
    from warehouse.raw_bytes import unpack
    from warehouse.schema import SCHEMA_VERSION, TABLES

    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.html").write_bytes(story(n))
    db = str(tmp_path / "v11.duckdb")
    ingest(sources=[str(folder), str(SEEDS)], db=db)
    with connect(db, read_only=True) as con:
        before = content_snapshot(con)
        packed = dict(con.execute("SELECT page_id, raw FROM pages").fetchall())
    with duckdb.connect(db) as raw:  # the pages table as version 11 kept it
        raw.execute(TABLES["pages"].replace("TABLE IF NOT EXISTS pages ", "TABLE v11 ")
                    .replace(" USING COMPRESSION uncompressed", ""))
        raw.execute("INSERT INTO v11 BY NAME SELECT * EXCLUDE (raw) FROM pages")
        for page_id, stored in packed.items():
            raw.execute("UPDATE v11 SET raw = ? WHERE page_id = ?", [unpack(stored), page_id])
        raw.execute("DROP TABLE pages")
        raw.execute("ALTER TABLE v11 RENAME TO pages")
        raw.execute("UPDATE schema_version SET version = 11")
    reprocess(db=db)
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0] == \
            SCHEMA_VERSION
        assert content_snapshot(con) == before
        now = dict(con.execute("SELECT page_id, raw FROM pages").fetchall())
    assert now == packed  # each page as version 12 writes it
