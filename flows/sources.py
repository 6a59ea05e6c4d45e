"""Sources to pages: which pages a source names, and reading one page's bytes.

Plain functions, no Prefect: the flow decides how they are batched and retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from extract.records import RawPage

PAGE_SUFFIXES = (".html", ".htm", ".txt")
URL_LIST_SUFFIX = ".urls"  # a text file of URLs, one per line; "#" starts a comment
MAX_PAGE_BYTES = 20 * 1024 * 1024
USER_AGENT = "newsdedup/0.1 (+https://github.com/newsdedup/newsdedup)"


class SourceError(ValueError):
    """A source that cannot be used at all (as opposed to one bad page in it)."""


@dataclass(frozen=True)
class PageRef:
    location: str  # absolute file path or http(s) URL
    source: str    # the source's name, kept in pages.source
    # Set when the reference itself is refused (e.g. a file:// URL in a URL list):
    # the page is recorded with this error and never read.
    refused: str | None = None


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def _page_suffix(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    return Path(name).suffix


def discover(source: str) -> list[PageRef]:
    """The pages a source names: a folder (recursively), one file, a URL list file
    (`*.urls`), or one URL."""
    if is_url(source):
        return [PageRef(source, urlsplit(source).hostname or source)]
    if "://" in source:
        raise SourceError(f"unsupported source scheme: {source}")
    path = Path(source).expanduser()
    if not path.exists():
        raise SourceError(f"source not found: {source}")
    root = path.resolve()
    if root.is_file() and root.name.lower().endswith(URL_LIST_SUFFIX):
        return url_list(root)
    if root.is_file():
        return [PageRef(str(root), root.parent.name)]
    files = sorted(p for p in root.rglob("*") if p.is_file() and _page_suffix(p) in PAGE_SUFFIXES)
    # A symlink that leads outside the folder would read files the user did not name.
    files = [p for p in files if p.resolve().is_relative_to(root)]
    return [PageRef(str(p), root.name) for p in files]


def url_list(path: Path) -> list[PageRef]:
    """The URLs a list names. Only http and https are fetched: a file:// line would
    read local files through a list anyone could have written, so it is refused (and
    recorded as the page's error), as are other schemes."""
    refs = []
    name = path.name[: -len(URL_LIST_SUFFIX)]
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        url = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not url:
            continue
        if is_url(url) and urlsplit(url).hostname:
            refs.append(PageRef(url, name))
        else:
            scheme = urlsplit(url).scheme or "no scheme"
            refs.append(PageRef(url, name, f"refused URL ({scheme}): only http and https "
                                           "URLs are fetched"))
    return refs


def _content_type_for(path: Path) -> str:
    return "text/html" if _page_suffix(path) in (".html", ".htm") else "text/plain"


def read_page(ref: PageRef, timeout: float = 20.0) -> RawPage:
    """Read one page; a failure becomes the page's read_error, never an exception."""
    now = datetime.now(UTC)
    if ref.refused:
        return RawPage(ref.location, ref.source, now, b"", None, ref.refused)
    if is_url(ref.location):
        return _fetch(ref, now, timeout)
    path = Path(ref.location)
    url = path.as_uri()
    try:
        body = path.read_bytes()
    except OSError as exc:
        return RawPage(url, ref.source, now, b"", None, f"unreadable file: {exc.strerror or exc}")
    return RawPage(url, ref.source, now, body, _content_type_for(path))


def _fetch(ref: PageRef, now: datetime, timeout: float) -> RawPage:
    try:
        with httpx.stream(
            "GET", ref.location, timeout=timeout, follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        ) as response:
            response.raise_for_status()
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_PAGE_BYTES:
                    break
                chunks.append(chunk)
            body = b"".join(chunks)
            return RawPage(
                str(response.url), ref.source, now, body, response.headers.get("content-type")
            )
    except httpx.HTTPError as exc:
        return RawPage(ref.location, ref.source, now, b"", None, f"fetch failed: {exc}")
