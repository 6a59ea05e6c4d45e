"""Scheduled runs over a sitemap: what a run after the first asks the site for.

    .venv/bin/python bench/revisits.py [--shared ../shared] [--limit N]

The WCXB and ScrapingHub pages are served on 127.0.0.1, each with an ETag (so that an
unchanged page answers 304), and listed in one sitemap with a `lastmod` a month before
the runs. A first run stores them. Then a second run, twice, each on its own copy of
that warehouse:

- `revisit_within = inf`: every listed page asked for again, conditionally, as every
  run did before session 44 (and as a URL list's pages still are);
- `revisit_within = 0`: the pages settled, as they are a day after the first run with
  the default setting (`[fetch] revisit_within = 86400`); only pages whose listing
  shows a change are asked for. One page in ten gets a `lastmod` after the first run.

Reported for each: requests to the site, 304s, pages skipped, pages stored, and the
run's wall time. The second runs fetch with the default politeness (2 at a time per
host, 0.5 s apart), as a scheduled run would; the first run is not polite (8 at a
time, no delay), so that the bench takes minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data_sets import add_arguments, data_sets, page_files, read_page  # noqa: E402

from warehouse import connect  # noqa: E402

FIRST_FETCH = {"per_host_concurrency": 8, "per_host_delay": 0.0, "workers": 8,
               "retries": 1, "backoff": 0.1, "timeout": 30}


class Site:
    """Pages by path, each with its ETag, and a count of what was asked."""

    def __init__(self, pages: dict[str, bytes]):
        self.pages = pages
        self.etags = {p: f'"{hashlib.sha1(b).hexdigest()[:16]}"' for p, b in pages.items()}
        self.lastmod: dict[str, str] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.base = ""

    def sitemap(self) -> bytes:
        urls = "".join(f"<url><loc>{self.base}{p}</loc><lastmod>{self.lastmod[p]}</lastmod>"
                       f"</url>" for p in self.pages)
        return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{urls}</urlset>').encode()


def handler_for(site: Site):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status: int, body: bytes = b"", content_type: str = "text/html",
                 etag: str | None = None):
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0]
            if path == "/sitemap.xml":
                return self.send(200, site.sitemap(), "application/xml")
            if path not in site.pages:
                return self.send(404, b"not found", "text/plain")
            etag = site.etags[path]
            with site.lock:
                site.hits[path] += 1
                if self.headers.get("If-None-Match") == etag:
                    site.not_modified[path] += 1
            if self.headers.get("If-None-Match") == etag:
                return self.send(304, etag=etag)
            return self.send(200, site.pages[path], "text/html; charset=utf-8", etag)

    return Handler


def run(db: Path, base: str, fetch: dict) -> tuple[dict, float]:
    from flows.ingest import ingest

    started = time.perf_counter()
    summary = ingest(sources=[{"name": "site", "kind": "sitemap",
                               "location": f"{base}/sitemap.xml"}], db=str(db), fetch=fetch)
    return summary["counts"], time.perf_counter() - started


def second_run(name: str, first: Path, folder: Path, site: Site, revisit_within: float) -> dict:
    db = folder / f"{name}.duckdb"
    shutil.copy(first, db)
    site.hits.clear()
    site.not_modified.clear()
    counts, seconds = run(db, site.base, {"revisit_within": revisit_within})
    with connect(db, read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
    requests = sum(site.hits.values())
    return {"requests": requests, "not_modified": sum(site.not_modified.values()),
            "skipped": counts.get("pages_not_requested", 0),
            "pages_new": counts.get("pages_new", 0), "pages_stored": stored,
            "wall_seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_arguments(parser)
    parser.add_argument("--limit", type=int, default=None, help="pages served")
    parser.add_argument("--out", default="bench/results/revisits.json")
    args = parser.parse_args()
    sets = data_sets(args)
    from flows.environment import configure_prefect

    configure_prefect()
    files = (page_files(sets.wcxb) + page_files(sets.zyte))[: args.limit]
    site = Site({f"/p/{i:04d}.html": read_page(f) for i, f in enumerate(files)})
    month_ago = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    site.lastmod = dict.fromkeys(site.pages, month_ago)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="newsdedup-revisits-") as tmp:
        folder = Path(tmp)
        first = folder / "first.duckdb"
        counts, seconds = run(first, site.base, FIRST_FETCH)
        report = {"pages_listed": len(site.pages),
                  "first_run": {"requests": sum(site.hits.values()),
                                "pages_new": counts.get("pages_new", 0),
                                "articles": counts.get("articles", 0),
                                "wall_seconds": round(seconds, 1)}}
        changed = list(site.pages)[::10]  # one in ten changed since, says the sitemap
        changed_at = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
        site.lastmod.update(dict.fromkeys(changed, changed_at))
        report["pages_with_a_later_lastmod"] = len(changed)
        report["every_run_asks_all"] = second_run("all", first, folder, site, float("inf"))
        report["settled_pages_skipped"] = second_run("settled", first, folder, site, 0.0)
    server.shutdown()
    all_, settled = report["every_run_asks_all"], report["settled_pages_skipped"]
    report["requests_ratio"] = round(settled["requests"] / max(all_["requests"], 1), 3)
    report["wall_ratio"] = round(settled["wall_seconds"] / max(all_["wall_seconds"], 1e-9), 3)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
