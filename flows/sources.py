"""Sources to pages: which pages a source names, and reading their bytes.

A source is a `SourceSpec` (name, kind, location), from `sources.toml` or from a
`--source` string whose kind is inferred. Kinds:

- folder: a folder read recursively (.html .htm .txt, also .gz)
- glob: a glob pattern of files, e.g. "archive/2024-*/**/*.html"
- file: one file
- urls: a text file of URLs, one per line
- url: one http(s) page
- feed: an RSS, Atom or JSON feed; its entries are the pages
- sitemap: an XML or text sitemap (sitemap indexes followed); its URLs are the pages
- warc: a WARC file (.warc or .warc.gz); its HTML responses are the pages

Plain functions, no Prefect: the flow decides how they are batched and retried.
"""

from __future__ import annotations

import glob as globbing
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from extract.decode import DecodeError, gunzip
from extract.records import RawPage, stable_id
from flows.feeds import Listed, NotAFeed, feed_entries, sitemap_entries
from flows.fetch import FEED_TYPES, Fetcher, Validators, is_http_url, url_problem
from flows.warc import read_warc_record, warc_index

PAGE_SUFFIXES = (".html", ".htm", ".txt")
URL_LIST_SUFFIX = ".urls"  # a text file of URLs, one per line; "#" starts a comment
WARC_SUFFIXES = (".warc", ".warc.gz")
KINDS = ("folder", "glob", "file", "urls", "url", "feed", "sitemap", "warc")
MAX_SITEMAPS = 50
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_WARC_BYTES = 8 * 1024**3  # a Common Crawl WARC is about 1 GB


class SourceError(ValueError):
    """A source that cannot be used at all (as opposed to one bad page in it)."""


@dataclass(frozen=True)
class SourceSpec:
    name: str      # kept in pages.source
    kind: str      # one of KINDS
    location: str  # path, glob pattern or URL

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "location": self.location}


@dataclass(frozen=True)
class PageRef:
    location: str  # absolute file path, http(s) URL, or "<warc path>#<offset>"
    source: str    # the source's name, kept in pages.source
    # Set when the reference itself is refused (e.g. a file:// URL in a URL list):
    # the page is recorded with this error and never read.
    refused: str | None = None
    kind: str = "file"  # file | http | warc
    # The feed's or sitemap's entry that named the page, with its dates.
    listing: Listed | None = None


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def _page_suffix(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    return Path(name).suffix


def spec_of(source: str | dict | SourceSpec) -> SourceSpec:
    """A source as configured (dict), or as given on the command line (string)."""
    if isinstance(source, SourceSpec):
        return source
    if isinstance(source, dict):
        kind = source.get("kind", "")
        if kind not in KINDS:
            raise SourceError(f"source {source.get('name')!r}: unknown kind {kind!r} "
                              f"(one of {', '.join(KINDS)})")
        location = source.get("location") or source.get("path") or source.get("url") or ""
        if not location:
            raise SourceError(f"source {source.get('name')!r}: no location")
        return SourceSpec(source.get("name") or location, kind, location)
    if is_url(source):
        if urlsplit(source).path.lower().endswith(WARC_SUFFIXES):
            return SourceSpec(Path(urlsplit(source).path).name.split(".warc")[0], "warc", source)
        return SourceSpec(urlsplit(source).hostname or source, "url", source)
    if "://" in source:
        raise SourceError(f"unsupported source scheme: {source}")
    path = Path(source).expanduser()
    name = path.resolve().name
    if path.is_dir():
        return SourceSpec(name, "folder", source)
    if path.name.lower().endswith(URL_LIST_SUFFIX):
        return SourceSpec(path.name[: -len(URL_LIST_SUFFIX)], "urls", source)
    if path.name.lower().endswith(WARC_SUFFIXES):
        return SourceSpec(path.name.split(".warc")[0], "warc", source)
    if any(ch in source for ch in "*?["):
        return SourceSpec(source, "glob", source)
    return SourceSpec(path.resolve().parent.name, "file", source)


def check_source(source: str | dict | SourceSpec) -> SourceSpec:
    """The source's spec if it can be used, without touching the network; SourceError
    with the reason otherwise."""
    spec = spec_of(source)
    if spec.kind == "warc" and is_url(spec.location):
        return spec
    if spec.kind in ("url", "feed", "sitemap"):
        if not is_http_url(spec.location):
            raise SourceError(f"source {spec.name!r}: a {spec.kind} must be an http(s) URL")
    elif spec.kind != "glob" and not Path(spec.location).expanduser().exists():
        raise SourceError(f"source not found: {spec.location}")
    return spec


@dataclass(frozen=True)
class Discovered:
    pages: list[PageRef]
    # What of the source could not be read, when the rest could (a WARC's damaged records)
    problem: str | None = None


def discover(source: str | dict | SourceSpec, fetcher: Fetcher | None = None) -> list[PageRef]:
    """The pages a source names. Feeds and sitemaps are fetched (with `fetcher`)."""
    return discover_source(source, fetcher).pages


def _warc_pages(spec: SourceSpec, path: Path) -> Discovered:
    index = warc_index(path)
    pages = [PageRef(f"{path}#{offset}", spec.name, kind="warc") for offset, _ in index.pages]
    if not index.damaged:
        return Discovered(pages)
    offset, what = index.damaged[0]
    more = f" (and {len(index.damaged) - 1} more damaged places)" if len(index.damaged) > 1 else ""
    return Discovered(pages, f"{path}: damaged at byte {offset}{more}: {what}; "
                             f"{len(pages)} pages read around the damage")


def discover_source(source: str | dict | SourceSpec, fetcher: Fetcher | None = None
                    ) -> Discovered:
    """`discover`, with what of the source could not be read."""
    spec = spec_of(source)
    if spec.kind == "url":
        return Discovered([PageRef(spec.location, spec.name, kind="http")])
    if spec.kind in ("feed", "sitemap"):
        if not is_http_url(spec.location):
            raise SourceError(f"source {spec.name!r}: a {spec.kind} must be an http(s) URL")
        with _fetcher(fetcher) as f:
            listed, problems = (_feed_pages(spec, f), []) if spec.kind == "feed" \
                else _sitemap_pages(spec, f)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return Discovered([PageRef(x.url, spec.name, kind="http", listing=x) for x in listed],
                          f"sitemap {spec.location} read in part: {problems[0]}{more}"
                          if problems else None)
    if spec.kind == "warc" and is_url(spec.location):
        with _fetcher(fetcher) as f:
            path = _downloaded_warc(spec, f)
        return _warc_pages(spec, path)
    if spec.kind == "glob":
        matches = sorted(Path(p) for p in globbing.glob(
            str(Path(spec.location).expanduser()), recursive=True))
        return Discovered([PageRef(str(p.resolve()), spec.name) for p in matches if
                           p.is_file() and not p.is_symlink() and _page_suffix(p) in PAGE_SUFFIXES])
    path = Path(spec.location).expanduser()
    if not path.exists():
        raise SourceError(f"source not found: {spec.location}")
    root = path.resolve()
    if spec.kind == "urls":
        return Discovered(url_list(root, spec.name))
    if spec.kind == "warc":
        return _warc_pages(spec, root)
    if spec.kind == "file" or root.is_file():
        return Discovered([PageRef(str(root), spec.name)])
    files = sorted(p for p in root.rglob("*") if p.is_file() and _page_suffix(p) in PAGE_SUFFIXES)
    # A symlink that leads outside the folder would read files the user did not name.
    files = [p for p in files if p.resolve().is_relative_to(root)]
    return Discovered([PageRef(str(p), spec.name) for p in files])


def _downloaded_warc(spec: SourceSpec, fetcher: Fetcher) -> Path:
    """A WARC named by URL, downloaded once into a cache folder (WARC files do not
    change once written; a new crawl is a new file)."""
    folder = Path(tempfile.gettempdir()) / "newsdedup-warc"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".warc.gz" if spec.location.lower().endswith(".gz") else ".warc"
    path = folder / f"{stable_id(spec.location)}{suffix}"
    if not path.exists() and (error := fetcher.download(spec.location, path, MAX_WARC_BYTES)):
        raise SourceError(f"warc {spec.name!r}: {error}")
    return path


class _fetcher:
    """The run's fetcher if there is one, else a fetcher for this call only."""

    def __init__(self, fetcher: Fetcher | None):
        self.given, self.own = fetcher, None

    def __enter__(self) -> Fetcher:
        if self.given is not None:
            return self.given
        self.own = Fetcher()
        return self.own

    def __exit__(self, *exc) -> None:
        if self.own is not None:
            self.own.close()


def _feed_pages(spec: SourceSpec, fetcher: Fetcher) -> list[Listed]:
    got = fetcher.fetch(spec.location, accept=FEED_TYPES)
    if got.error:
        raise SourceError(f"feed {spec.name!r}: {got.error}")
    try:
        return feed_entries(got.body, got.final_url)
    except NotAFeed as exc:
        raise SourceError(f"feed {spec.name!r}: {exc} ({got.content_type or 'no type'})"
                          ) from None


def _sitemap_pages(spec: SourceSpec, fetcher: Fetcher) -> tuple[list[Listed], list[str]]:
    """The pages the sitemap and the sitemaps it lists name, and what of them could not
    be read: one child sitemap that fails costs its own pages, not the others'."""
    pages, queue, seen, problems = [], [spec.location], set(), []
    while queue and len(seen) < MAX_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        got = fetcher.fetch(url, accept=FEED_TYPES + ("application/gzip", "application/x-gzip"))
        try:
            if got.error:
                raise SourceError(got.error)
            body = got.body
            if body[:2] == b"\x1f\x8b":
                body, _ = gunzip(body)
            found, children = sitemap_entries(body, got.final_url)
        except (SourceError, DecodeError, NotAFeed) as exc:
            if url == spec.location:
                raise SourceError(f"sitemap {spec.name!r}: {exc}") from None
            problems.append(f"{url}: {exc}")
            continue
        pages.extend(found)
        queue.extend(children)
    if left := len(set(queue) - seen):
        problems.append(f"{left} more sitemaps listed, not read: at most {MAX_SITEMAPS} a run")
    first: dict[str, Listed] = {}
    for page in pages:  # a URL in two sitemaps is one page, with the first one's date
        first.setdefault(page.url, page)
    return list(first.values()), problems


def url_list(path: Path, name: str | None = None) -> list[PageRef]:
    """The URLs a list names. Only http and https are fetched: a file:// line would
    read local files through a list anyone could have written, so it is refused (and
    recorded as the page's error), as are other schemes."""
    refs = []
    name = name or path.name[: -len(URL_LIST_SUFFIX)]
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        url = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not url:
            continue
        problem = url_problem(url)
        refs.append(PageRef(url, name, problem, kind="http" if problem is None else "file"))
    return refs


def _content_type_for(path: Path) -> str:
    return "text/html" if _page_suffix(path) in (".html", ".htm") else "text/plain"


def read_page(ref: PageRef) -> RawPage:
    """Read one file or WARC page; a failure becomes the page's read_error."""
    now = datetime.now(UTC)
    if ref.refused:
        return RawPage(ref.location, ref.source, now, b"", None, ref.refused)
    if ref.kind == "http":
        return read_pages([ref])[0]
    if ref.kind == "warc":
        path, _, offset = ref.location.rpartition("#")
        try:
            record = read_warc_record(Path(path), int(offset), MAX_FILE_BYTES)
        # a damaged record raises what its damage makes warcio or zlib raise
        except Exception as exc:
            return RawPage(ref.location, ref.source, now, b"", None,
                           f"unreadable WARC record: {type(exc).__name__}: {exc}"[:500])
        return RawPage(record.url, ref.source, record.fetched_at, record.body,
                       record.content_type)
    path = Path(ref.location)
    url = path.as_uri()
    try:
        with path.open("rb") as stream:
            body = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return RawPage(url, ref.source, now, b"", None, f"unreadable file: {exc.strerror or exc}")
    if len(body) > MAX_FILE_BYTES:
        return RawPage(url, ref.source, now, b"", None,
                       f"file too large: over {MAX_FILE_BYTES} bytes")
    return RawPage(url, ref.source, now, body, _content_type_for(path))


def unchanged_listings(
    refs: list[PageRef], last_read: dict[str, datetime], now: datetime, revisit_within: float
) -> set[str]:
    """The feed and sitemap entries not to ask for again: each page was read before
    (`last_read`: when the warehouse last stored new content from its URL), more than
    `revisit_within` seconds ago, and its listing shows no change since (a later
    `updated`, `date_modified` or `lastmod`, else publication date). News pages change
    in their first hours (corrections, updates) and seldom after; a sitemap lists a
    site's thousands of old pages, and asking for each again every run, even
    conditionally, is 5,000 requests a run to one host (42 minutes at the default
    politeness: 2 at a time, 0.5 s apart). Pages a URL list names are asked for every
    run: a list says nothing of changes."""
    unchanged = set()
    for ref in refs:
        read = last_read.get(ref.location)
        if ref.listing is None or ref.refused or read is None:
            continue
        changed = ref.listing.changed_at
        if (now - read).total_seconds() > revisit_within and (changed is None or changed <= read):
            unchanged.add(ref.location)
    return unchanged


def read_pages(
    refs: list[PageRef],
    fetcher: Fetcher | None = None,
    validators: dict[str, Validators] | None = None,
    unchanged: set[str] = frozenset(),
) -> list[RawPage]:
    """One batch: files and WARC records read, URLs fetched in parallel (politely).
    `unchanged`: URLs not asked for (`unchanged_listings`); each is a page that is not
    requested and whose stored copy stays current."""
    now = datetime.now(UTC)
    http = [r for r in refs if r.kind == "http" and not r.refused and r.location not in unchanged]
    fetched = {}
    if http:
        with _fetcher(fetcher) as f:
            results = f.fetch_many([r.location for r in http], validators)
        fetched = {r.location: got for r, got in zip(http, results, strict=True)}
    pages = []
    for ref in refs:
        if ref.location in unchanged and ref.kind == "http" and not ref.refused:
            pages.append(RawPage(ref.location, ref.source, now, b"", not_modified=True,
                                 requested=False))
            continue
        got = fetched.get(ref.location) if ref.kind == "http" and not ref.refused else None
        if got is None:
            pages.append(read_page(ref))
            continue
        # The page is keyed by the URL asked for, so a re-read finds its earlier row.
        pages.append(RawPage(ref.location, ref.source, got.fetched_at, got.body,
                             got.content_type, got.error, etag=got.etag,
                             last_modified=got.last_modified, not_modified=got.not_modified,
                             listed_at=ref.listing and ref.listing.published_at))
    return pages
