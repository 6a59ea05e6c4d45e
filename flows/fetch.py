"""HTTP fetching as a polite, unattended crawler does it (httpx).

Timeouts; retries with exponential backoff on 429, 5xx and connection errors, honouring
`Retry-After`; conditional GET (ETag / Last-Modified) so an unchanged page is not
downloaded again; a concurrency limit and a delay per host; a size cap counted on the
decoded body (so a gzip bomb stops at the cap); a content-type check; redirects
followed up to a limit; robots.txt (RFC 9309); a real User-Agent; http and https only.

Plain functions and a small class, no Prefect: the flow batches and logs.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from flows.deadline import deadline, enforce_deadlines

USER_AGENT = "newsdedup/0.2 (news deduplication pipeline; +https://github.com/newsdedup/newsdedup)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/json", "application/feed+json", "text/plain", "text/html")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: a parser must read at least 500 KiB of it


def _too_slow(exc: Exception, started: float, deadline_s: float) -> str | None:
    """Why a request failed, when it was its deadline: trying again won't help."""
    if isinstance(exc, httpx.TimeoutException) and time.monotonic() - started >= deadline_s:
        return (f"too slow: not done in {deadline_s:g}s (the server sends its reply a "
                "little at a time)")
    return None


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = USER_AGENT
    timeout: float = 20.0          # seconds one read of the socket may wait
    # seconds a page's request may take in all: the timeout above bounds each read, so a
    # server sending a byte at a time would else hold the fetch (and the run) for hours
    deadline: float = 120.0
    download_deadline: float = 3600.0  # the same for a WARC file downloaded whole
    retries: int = 3               # tries after the first
    backoff: float = 1.0           # seconds before the first retry, doubled after each
    max_retry_after: float = 120.0  # a longer Retry-After gives up instead of waiting
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_delay: float = 0.5    # seconds between two requests to one host
    respect_robots: bool = True
    workers: int = 8               # requests in flight over all hosts
    # A feed's or sitemap's page stored longer ago than this is asked for again only
    # when its listing shows a change (`flows.sources.unchanged_listings`); inf: every
    # run, as a URL list's pages are.
    revisit_within: float = 86400.0

    @classmethod
    def from_dict(cls, values: dict | None) -> FetchSettings:
        known = {k: v for k, v in (values or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def __post_init__(self) -> None:
        # A wrong value in sources.toml is said when it is read, not deep inside httpx
        # in the middle of a run ("timeout" given as "fast", a negative delay).
        for name, default in FetchSettings.__dataclass_fields__.items():
            value, kind = getattr(self, name), type(default.default)
            numbers = int if kind is int else int | float
            if kind is bool or kind is str:
                if not isinstance(value, kind):
                    wanted = "true or false" if kind is bool else "text"
                    raise ValueError(f"{name} must be {wanted}, not {value!r}")
            elif isinstance(value, bool) or not isinstance(value, numbers) or not value >= 0:
                raise ValueError(f"{name} must be a {'whole ' if kind is int else ''}number, "
                                 f"0 or more, not {value!r}")
        for name in ("timeout", "deadline", "download_deadline", "per_host_concurrency",
                     "workers", "max_bytes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be more than 0")


@dataclass(frozen=True)
class Fetched:
    """What one URL gave: a body, a 304, or an error saying why not."""

    url: str                        # as asked
    final_url: str                  # after redirects
    fetched_at: datetime
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    tries: int = 1


@dataclass(frozen=True)
class Validators:
    """The conditional-GET validators stored from a URL's last fetch."""

    etag: str | None = None
    last_modified: str | None = None


class FetchError(Exception):
    def __init__(self, message: str, retry: bool, wait: float | None = None):
        super().__init__(message)
        self.retry = retry
        self.wait = wait


def is_http_url(url: str) -> bool:
    return url_problem(url) is None


def url_problem(url: str) -> str | None:
    """Why this URL is not fetched at all, or None. Only http and https; and a URL no
    request can be made of ("http://[::1", an empty label in "a..b", a label over 63
    characters) is refused here, where it raised out of the fetch (and out of the
    discovery of a URL list that held it) before."""
    try:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"refused URL ({parts.scheme or 'no scheme'}): only http and https are fetched"
        # what the resolver will do with the host: IDNA, labels of 1 to 63 characters
        httpx.URL(url).raw_host.decode("ascii").encode("idna")
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:
        return f"refused URL: it is malformed ({type(exc).__name__}: {exc})"[:300]
    return None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _media_type(content_type: str | None) -> str | None:
    return content_type.split(";")[0].strip().lower() if content_type else None


@dataclass
class _HostState:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_time: float = 0.0
    robots: RobotFileParser | None = None
    robots_error: str | None = None
    robots_checked: bool = False


class Fetcher:
    """One per run: keeps connections, robots.txt rules and per-host pacing."""

    def __init__(self, settings: FetchSettings | None = None):
        self.settings = settings or FetchSettings()
        s = self.settings
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self._hosts: dict[str, _HostState] = defaultdict(
            lambda: _HostState(threading.Semaphore(s.per_host_concurrency))
        )
        self._hosts_lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        """Made on first use: its TLS context takes ~20 ms to load, and every batch of
        a run opens a fetcher, most of them for files only."""
        with self._client_lock:
            if self._client is None:
                s = self.settings
                self._client = enforce_deadlines(httpx.Client(
                    headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
                    timeout=httpx.Timeout(s.timeout),
                    follow_redirects=True,
                    max_redirects=s.max_redirects,
                ))
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _host(self, url: str) -> _HostState:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            return self._hosts[key]

    # -- politeness -------------------------------------------------------------

    def _paced(self, host: _HostState) -> None:
        """Wait for this host's turn: at most N requests at once, D seconds apart."""
        with host.lock:
            wait = host.next_time - time.monotonic()
            host.next_time = max(host.next_time, time.monotonic()) + self.settings.per_host_delay
        if wait > 0:
            time.sleep(wait)

    def robots_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids this URL, or None. RFC 9309: a 4xx robots.txt allows
        everything; an unreachable one (5xx, network) forbids everything for now."""
        if not self.settings.respect_robots:
            return None
        host = self._host(url)
        with host.lock:
            if not host.robots_checked:
                parts = urlsplit(url)
                robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
                try:
                    status, text = self._robots_txt(robots_url)
                    if status >= 500:
                        host.robots_error = f"robots.txt unreachable (HTTP {status})"
                    elif status < 400:
                        parser = RobotFileParser(robots_url)
                        parser.parse(text.splitlines())
                        host.robots = parser
                except httpx.HTTPError as exc:
                    host.robots_error = f"robots.txt unreachable ({type(exc).__name__})"
                host.robots_checked = True
        if host.robots_error:
            return f"not fetched: {host.robots_error}; RFC 9309 says to stay away for now"
        if host.robots and not host.robots.can_fetch(self.settings.user_agent, url):
            return "not fetched: disallowed by robots.txt"
        return None

    def _robots_txt(self, robots_url: str) -> tuple[int, str]:
        """Its status and its first ROBOTS_MAX_BYTES, read as a stream: a robots.txt
        that is huge, endless or a gzip bomb must not be read whole (it was, before)."""
        s = self.settings
        with (deadline(min(30.0, s.deadline)),
              self.client.stream("GET", robots_url, timeout=min(10.0, s.timeout)) as response):
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= ROBOTS_MAX_BYTES:
                    break
            text = bytes(body[:ROBOTS_MAX_BYTES]).decode(response.encoding or "utf-8", "replace")
            return response.status_code, text

    # -- one request ------------------------------------------------------------

    def _once(self, url: str, validators: Validators | None, accept: tuple[str, ...]) -> Fetched:
        s = self.settings
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        now, started = datetime.now(UTC), time.monotonic()
        try:
            with deadline(s.deadline), self.client.stream("GET", url, headers=headers) as response:
                final = str(response.url)
                if response.status_code == 304:
                    return Fetched(url, final, now, not_modified=True,
                                   etag=validators.etag if validators else None,
                                   last_modified=validators.last_modified if validators else None)
                if response.status_code in RETRY_STATUSES:
                    wait = retry_after_seconds(response.headers.get("retry-after"))
                    raise FetchError(f"HTTP {response.status_code}", retry=True, wait=wait)
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}", retry=False)
                content_type = response.headers.get("content-type")
                media = _media_type(content_type)
                if media and media not in accept:
                    raise FetchError(f"unsupported content type {media}", retry=False)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > s.max_bytes:
                    raise FetchError(f"too large: {declared} bytes declared "
                                     f"(limit {s.max_bytes})", retry=False)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > s.max_bytes:
                        raise FetchError(f"too large: over {s.max_bytes} bytes "
                                         "(decoded)", retry=False)
                    chunks.append(chunk)
                return Fetched(url, final, now, b"".join(chunks), content_type,
                               response.headers.get("etag"),
                               response.headers.get("last-modified"))
        except httpx.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {s.max_redirects})",
                             retry=False) from None
        except httpx.TimeoutException as exc:
            if slow := _too_slow(exc, started, s.deadline):
                raise FetchError(slow, retry=False) from None
            raise FetchError(f"timed out after {s.timeout:g}s ({type(exc).__name__})",
                             retry=True) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchError(f"connection failed: {type(exc).__name__}: {exc}"[:300],
                             retry=True) from None

    def fetch(self, url: str, validators: Validators | None = None,
              accept: tuple[str, ...] = PAGE_TYPES) -> Fetched:
        """Never raises: what went wrong is in `error`."""
        now = datetime.now(UTC)
        if problem := url_problem(url):
            return Fetched(url, url, now, error=problem)
        if refusal := self.robots_refusal(url):
            return Fetched(url, url, now, error=refusal)
        s = self.settings
        host = self._host(url)
        delay = s.backoff
        for attempt in range(1, s.retries + 2):
            with host.slots:
                self._paced(host)
                try:
                    return replace(self._once(url, validators, accept), tries=attempt)
                except FetchError as exc:
                    error = exc
                # what no case above foresaw fails this page, not its batch: `fetch_many`
                # runs a batch's fetches in a pool that would raise it for them all
                except Exception as exc:
                    return Fetched(url, url, now, tries=attempt, error=(
                        f"fetch failed: {type(exc).__name__}: {exc}"[:300]))
            last = attempt == s.retries + 1
            if not error.retry or last:
                break
            wait = delay
            if error.wait is not None:
                if error.wait > s.max_retry_after:
                    return Fetched(url, url, now, tries=attempt, error=(
                        f"fetch failed: {error}; Retry-After {error.wait:.0f}s is longer than "
                        f"the {s.max_retry_after:.0f}s we wait"))
                wait = max(wait, error.wait)
            time.sleep(wait)
            delay *= 2
        tries = f" after {attempt} tries" if attempt > 1 else ""
        return Fetched(url, url, now, tries=attempt, error=f"fetch failed: {error}{tries}")

    def download(self, url: str, dest: Path, max_bytes: int) -> str | None:
        """Stream a large file (a WARC) to `dest`, with the same robots, retries and
        politeness as pages; None when done, else the reason it failed."""
        if problem := url_problem(url):
            return problem
        if refusal := self.robots_refusal(url):
            return refusal
        partial = dest.with_suffix(dest.suffix + ".part")
        delay, error = self.settings.backoff, "not tried"
        for attempt in range(1, self.settings.retries + 2):
            started = time.monotonic()
            try:
                with (self._host(url).slots, deadline(self.settings.download_deadline),
                      self.client.stream("GET", url) as response):
                    if response.status_code >= 400:
                        error = f"HTTP {response.status_code}"
                        if response.status_code not in RETRY_STATUSES:
                            return error
                    else:
                        size = 0
                        with partial.open("wb") as out:
                            for chunk in response.iter_bytes():
                                size += len(chunk)
                                if size > max_bytes:
                                    partial.unlink(missing_ok=True)
                                    return f"too large: over {max_bytes} bytes"
                                out.write(chunk)
                        partial.replace(dest)
                        return None
            except httpx.HTTPError as exc:
                if slow := _too_slow(exc, started, self.settings.download_deadline):
                    partial.unlink(missing_ok=True)
                    return f"download failed: {slow}"
                error = f"{type(exc).__name__}: {exc}"[:300]
            if attempt <= self.settings.retries:
                time.sleep(delay)
                delay *= 2
        partial.unlink(missing_ok=True)
        return f"download failed: {error} after {attempt} tries"

    def fetch_many(self, urls: list[str], validators: dict[str, Validators] | None = None,
                   accept: tuple[str, ...] = PAGE_TYPES) -> list[Fetched]:
        """In order of `urls`; hosts are fetched in parallel, each within its limits."""
        validators = validators or {}
        if not urls:
            return []
        with ThreadPoolExecutor(max_workers=min(self.settings.workers, len(urls))) as pool:
            return list(pool.map(lambda u: self.fetch(u, validators.get(u), accept), urls))
