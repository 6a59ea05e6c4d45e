"""A news site on 127.0.0.1 for tests: good pages, a feed, a sitemap, and pages that
misbehave on purpose. Started by the test that needs it, in a thread."""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections import Counter
from contextlib import contextmanager
from functools import cache

STORY = ("<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
         "<article><h1>{title}</h1>{paragraphs}</article><footer>© Test Daily</footer>"
         "</body></html>")

TOPICS = ["harbour", "election", "vaccine", "museum", "railway", "drought", "festival",
          "satellite"]


def story(n: int, version: int = 1) -> bytes:
    topic = TOPICS[n % len(TOPICS)]
    sentences = [f"Story {n} reports on the {topic} in the town of Example{n}, where "
                 f"officials spoke on day {d} about plans number {n * 7 + d}." for d in range(1, 9)]
    if version > 1:
        sentences.append(f"Update {version}: the council approved the {topic} budget today.")
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return STORY.format(title=f"Story {n} about the {topic}", paragraphs=paragraphs).encode()


class Site:
    def __init__(self):
        self.hits: Counter[str] = Counter()
        self.conditional_hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.starts: list[tuple[str, float]] = []
        self.version = 1
        self.warc = b""  # served at /crawl.warc.gz when set
        self.extra: dict[str, tuple[bytes, str]] = {}  # path -> (body, content type)
        self.lock = threading.Lock()
        self.base = ""


def make_handler(site: Site):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send_body(self, body: bytes, content_type="text/html; charset=utf-8",
                      status=200, headers=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def trickle(self, data: bytes, every: float = 0.3) -> None:
            for i in range(len(data)):
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(every)

        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0]
            with site.lock:
                site.hits[path] += 1
                hit = site.hits[path]
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
                site.starts.append((path, time.monotonic()))
            try:
                self.route(path, hit)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with site.lock:
                    site.in_flight -= 1

        def route(self, path: str, hit: int):
            if path in site.extra:
                return self.send_body(*site.extra[path])
            if path == "/robots.txt":
                return self.send_body(b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if path.startswith("/news/") and path.endswith(".html"):
                n = int(path.rsplit("/", 1)[1].split(".")[0])
                etag = f'"story-{n}-v1"'
                if self.headers.get("If-None-Match"):
                    site.conditional_hits[path] += 1
                if self.headers.get("If-None-Match") == etag:
                    site.not_modified[path] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                time.sleep(0.05)
                return self.send_body(story(n), headers={
                    "ETag": etag, "Last-Modified": "Wed, 19 Jun 2024 08:00:00 GMT"})
            if path == "/changing.html":
                return self.send_body(story(99, site.version))
            if path == "/flaky.html":  # 500, then fine
                if hit == 1:
                    return self.send_body(b"oops", "text/plain", 500)
                return self.send_body(story(21))
            if path == "/limited.html":  # 429 with Retry-After, then fine
                if hit == 1:
                    return self.send_body(b"slow down", "text/plain", 429, {"Retry-After": "1"})
                return self.send_body(story(22))
            if path == "/very-limited.html":
                return self.send_body(b"come back tomorrow", "text/plain", 429,
                                      {"Retry-After": "86400"})
            if path == "/slow.html":
                time.sleep(3)
                return self.send_body(story(23))
            if path == "/trickle.html":  # a tarpit: each byte well within the read timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                return self.trickle(b"<p>" + b"x" * 997)
            if path == "/trickle-headers.html":  # the same, before the body even starts
                return self.trickle(b"HTTP/1.1 200 OK\r\n" + b"X-Filler: x\r\n" * 100)
            if path in ("/loop-a", "/loop-b"):
                self.send_response(302)
                self.send_header("Location", "/loop-b" if path == "/loop-a" else "/loop-a")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/big.html":  # no Content-Length: only counting tells
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65536 + b"</p>"
                for _ in range(60):
                    self.wfile.write(chunk)
                self.close_connection = True
                return None
            if path == "/bomb.html":  # 100 MB of zeros in ~100 KB
                return self.send_body(bomb(), "text/html", headers={"Content-Encoding": "gzip"})
            if path == "/image.png":
                return self.send_body(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
            if path == "/drop.html":  # headers promise a body the connection never carries
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html><body><p>cut")
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if path == "/crawl.warc.gz" and site.warc:
                return self.send_body(site.warc, "application/warc")
            if path == "/private/secret.html":
                return self.send_body(story(66))
            if path == "/feed.xml":
                items = "".join(f"<item><title>Story {n}</title><link>{site.base}/news/{n}.html"
                                f"</link></item>" for n in (1, 2, 3))
                return self.send_body(
                    f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title>'
                    f"{items}</channel></rss>".encode(), "application/rss+xml")
            if path == "/sitemap.xml":
                return self.send_body(
                    f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9"><sitemap><loc>{site.base}/sitemap-news.xml</loc></sitemap>'
                    f"</sitemapindex>".encode(), "application/xml")
            if path == "/sitemap-news.xml":
                urls = "".join(f"<url><loc>{site.base}/news/{n}.html</loc></url>"
                               for n in (4, 5, 6))
                return self.send_body(
                    f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{urls}</urlset>'.encode(), "application/xml")
            return self.send_body(b"not found", "text/plain", 404)

    return Handler


@cache
def bomb() -> bytes:
    return gzip.compress(b"\0" * 100_000_000, compresslevel=9)


@contextmanager
def running_site():
    site = Site()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
