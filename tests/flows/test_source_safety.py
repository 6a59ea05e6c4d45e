"""A source reads only what it names: no symlink escapes, no file:// through URL lists."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from flows.sources import discover, read_page
from warehouse import connect
from warehouse.raw_bytes import unpack

SECRET = "TOP-SECRET-CONTENT-OUTSIDE-THE-SOURCE " * 10
ARTICLE = ("<html><body><article><h1>Title of a page</h1>"
           + "<p>" + "A sentence of the served article body with enough words. " * 12 + "</p>"
           + "</article></body></html>")


@pytest.fixture
def layout(tmp_path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.txt").write_text("page a " * 30)
    (pages / "sub" / "b.html").write_text(ARTICLE)
    (pages / "link-to-secret.txt").symlink_to(outside / "secret.txt")
    (pages / "dir-outside").symlink_to(outside, target_is_directory=True)
    (pages / "sub" / "loop").symlink_to(pages, target_is_directory=True)
    (pages / "inner-link.txt").symlink_to(pages / "a.txt")  # inside: allowed
    return pages


def test_folder_source_reads_nothing_a_symlink_leads_outside(layout):
    refs = discover(str(layout))
    found = sorted(Path(r.location).relative_to(layout).as_posix() for r in refs)
    assert found == ["a.txt", "inner-link.txt", "sub/b.html"]
    for ref in refs:
        assert SECRET not in read_page(ref).body.decode()


def test_dot_dot_in_a_source_names_the_folder_it_resolves_to(layout):
    refs = discover(str(layout / "sub" / ".." / "sub"))
    assert [Path(r.location).name for r in refs] == ["b.html"]
    assert all(Path(r.location).is_relative_to(layout / "sub") for r in refs)


@pytest.fixture
def http_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = ARTICLE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_list_fetches_only_http_and_records_refusals(tmp_path, layout, http_server,
                                                         prefect_harness):
    from flows.ingest import ingest

    secret = layout.parent / "outside" / "secret.txt"
    urls = tmp_path / "mixed.urls"
    urls.write_text("\n".join([
        "# a comment line",
        f"{http_server}/story.html",
        secret.as_uri(),                 # file:///.../secret.txt
        str(secret),                     # a bare path
        "ftp://127.0.0.1/secret.txt",
        "javascript:alert(1)",
        "",
    ]))
    db = tmp_path / "w.duckdb"
    summary = ingest(sources=[str(urls)], db=str(db))
    assert summary["counts"]["pages_read"] == 5
    assert summary["counts"]["articles"] == 1
    with connect(db, read_only=True) as con:
        rows = con.execute("SELECT url, source, error, raw FROM pages ORDER BY url").fetchall()
        texts = [t for (t,) in con.execute("SELECT text FROM articles").fetchall()]
    refused = [r for r in rows if r[2]]
    assert len(refused) == 4
    assert all("only http and https" in r[2] for r in refused)
    assert all(r[1] == "mixed" for r in rows)
    assert all(SECRET not in unpack(r[3]).decode() for r in rows)  # the bytes as read
    assert all(SECRET not in t for t in texts)
