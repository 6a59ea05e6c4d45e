"""Pages whose bytes, together, are more than DuckDB may hold in memory."""

from __future__ import annotations

import random

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


LONG_TEXTS = 28
LONG_TEXT_CHARS = 1_000_000


def long_text(n: int) -> str:
    """About a megabyte of sentences, from a vocabulary of its own: the texts are not
    alike, so no pair of them is a candidate of the other."""
    rng = random.Random(n)
    vocabulary = [f"w{n}x{k}" for k in range(1000)]
    paragraphs, size = [], 0
    while size < LONG_TEXT_CHARS:
        paragraphs.append(" ".join(rng.choices(vocabulary, k=80)).capitalize() + ".")
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def test_a_batch_of_long_texts_larger_than_duckdbs_memory_is_written_and_read_back(
        tmp_path, monkeypatch, prefect_harness):
    """DuckDB holds what a transaction inserts in memory until it commits, and a
    checkpoint reads it back by the vector: a batch whose pages and texts were more than
    the run's memory failed to write (each retry too), and so did every run on the same
    sources. The batch gets room for its bytes now; a later run's copies of those long
    texts read them as candidates and are found."""
    from flows.ingest import ingest

    monkeypatch.setenv("NEWSDEDUP_DUCKDB_MEMORY", "24MB")
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir(), later.mkdir()
    texts = [long_text(n) for n in range(LONG_TEXTS)]
    for n, text in enumerate(texts):
        (first / f"{n:02d}.txt").write_text(f"Long report number {n}\n\n{text}\n")
    for n in range(2):
        (later / f"{n:02d}.txt").write_text(
            f"Report {n}, republished\n\n{texts[n][: len(texts[n]) * 9 // 10]}\n")
    db = str(tmp_path / "w.duckdb")
    assert ingest(sources=[str(first)], db=db, batch_size=50)["counts"]["articles"] == \
        LONG_TEXTS
    counts = ingest(sources=[str(later)], db=db, batch_size=50)["counts"]
    assert counts["articles"] == 2 and counts["copies"] == 2
    with connect(db, read_only=True) as con:
        copied = con.execute(
            "SELECT regexp_extract(c.url, '(\\w+/\\d+)\\.txt$', 1), "
            "regexp_extract(o.url, '(\\w+/\\d+)\\.txt$', 1) FROM near_duplicates d "
            "JOIN articles c USING (article_id) JOIN articles o ON o.article_id = d.duplicate_of"
        ).fetchall()
    assert sorted(copied) == [("later/00", "first/00"), ("later/01", "first/01")]
