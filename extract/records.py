"""The records that cross from reading into extraction and from extraction onwards."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property


def stable_id(*parts: str | bytes) -> str:
    """A short, deterministic id: the same inputs give the same id on every machine and run."""
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@dataclass(frozen=True)
class RawPage:
    """One page as read from a source, before any interpretation of its bytes."""

    url: str
    source: str
    fetched_at: datetime
    body: bytes
    content_type: str | None = None
    # Set when the page could not even be read; extraction then records it and moves on.
    read_error: str | None = None
    # HTTP validators for the next conditional GET, and whether this fetch was a 304
    # (then there is no body: the stored page is still current).
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    # The publication date the feed or sitemap that listed the page gives (UTC): the
    # article's date when the page shows none.
    listed_at: datetime | None = None
    # False when the page was not asked for: its listing shows no change since the
    # warehouse stored it (`flows.sources.unchanged_listings`); `not_modified` then.
    requested: bool = True

    # Cached: a page's id is asked for at each step, and hashing a large body each
    # time cost more than the step.
    @cached_property
    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @cached_property
    def page_id(self) -> str:
        # One row per (url, content): a re-read of unchanged content maps to the same row.
        return stable_id(self.url, self.content_hash)


@dataclass(frozen=True)
class Article:
    """The clean article a page yielded: body text with paragraphs separated by blank lines."""

    article_id: str
    page_id: str
    url: str
    title: str | None
    text: str
    published_at: datetime | None = None
    language: str | None = None
    site: str | None = None
    author: str | None = None
    canonical_url: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What extracting one page produced: an article, or the reason there is none."""

    page: RawPage
    encoding: str | None
    article: Article | None
    error: str | None = None
    # Counters for the run summary, e.g. {"boilerplate_lines": 12}.
    stats: dict[str, int] = field(default_factory=dict)
    # Something the user should know about a page that still gave an article.
    warning: str | None = None
    # The keys of the article's lines before its site's template lines were dropped:
    # what the site's template learns from (extract/templates.py).
    line_keys: frozenset[int] = frozenset()
    # The lines dropped from the article as its site's template.
    template_lines: tuple[str, ...] = ()
