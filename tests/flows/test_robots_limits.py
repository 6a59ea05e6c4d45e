"""A host's robots.txt is read as a stream with limits: one that never ends, or that
trickles, cannot hold the fetch or fill the memory."""

from __future__ import annotations

import http.server
import threading
import time
from contextlib import contextmanager

from flows.fetch import Fetcher, FetchSettings
from tests.flows.http_site import story

RULES = b"User-agent: *\nDisallow: /private/\n"


def handler(robots: str, sent: list[int]):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            try:
                if self.path != "/robots.txt":
                    body = story(1)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(RULES)
                filler = b"# a comment line that goes on and on\n" * 2000
                for _ in range(4_000):  # 300 MB at full speed, or a byte at a time
                    if robots == "endless":
                        self.wfile.write(filler)
                        sent[0] += len(filler)
                    else:
                        self.wfile.write(b"#")
                        self.wfile.flush()
                        time.sleep(0.3)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextmanager
def serving(robots: str, sent: list[int] | None = None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             handler(robots, sent or [0]))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def fetch_within(fetcher: Fetcher, url: str, seconds: float):
    """The fetch's result, or None if it is still going after `seconds`."""
    result = []
    thread = threading.Thread(target=lambda: result.append(fetcher.fetch(url)), daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else None


def test_an_endless_robots_txt_is_read_only_as_far_as_rfc_9309_asks():
    settings = FetchSettings(timeout=2.0, deadline=10.0, retries=0, per_host_delay=0.0)
    sent = [0]
    with serving("endless", sent) as base, Fetcher(settings) as fetcher:
        page = fetch_within(fetcher, f"{base}/news/1.html", 60)
        assert page is not None, "the fetch was still reading robots.txt after 60 s"
        assert page.error is None and b"Story 1" in page.body
        # it stopped reading at 500 KiB: what the server got out is that and what the
        # sockets' buffers took (it was all 300 MB)
        assert sent[0] < 50_000_000
        # the rules at its top are kept
        assert "disallowed by robots.txt" in fetcher.fetch(f"{base}/private/x.html").error


def test_a_trickling_robots_txt_keeps_the_host_away_for_now_without_holding_the_run():
    settings = FetchSettings(timeout=2.0, deadline=3.0, retries=0, per_host_delay=0.0)
    with serving("trickle") as base, Fetcher(settings) as fetcher:
        page = fetch_within(fetcher, f"{base}/news/1.html", 60)
        assert page is not None, "the fetch was still reading robots.txt after 60 s"
        # RFC 9309: a robots.txt that cannot be read means staying away for now
        assert "robots.txt unreachable" in page.error and page.body == b""
