"""Records of the dedupe room: what an article becomes, and the links between articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import numpy as np

EPOCH_DAY = date(1970, 1, 1)


class LinkKind(StrEnum):
    COPY = "copy"    # the same story republished: boilerplate, edits, truncation aside
    EVENT = "event"  # different texts about the same event


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of an article: enough to find and verify neighbours."""

    article_id: str
    copy_signature: np.ndarray   # uint32 MinHash over word shingles
    n_shingles: int
    event_signature: np.ndarray  # uint32 MinHash over the article's salient terms
    salient_terms: tuple[str, ...]
    copy_bands: np.ndarray       # int64 LSH band keys of copy_signature
    event_bands: np.ndarray      # int64 LSH band keys of event_signature
    # Day of publication (days since 1970-01-01), when known: event candidates are
    # looked up only among articles published within the event window of it.
    event_day: int | None = None


def day_number(when: datetime | None) -> int | None:
    return None if when is None else (when.date() - EPOCH_DAY).days


@dataclass(frozen=True)
class Link:
    """An accepted relation between two articles, with the evidence for it."""

    article_id: str
    other_id: str
    kind: LinkKind
    score: float
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleFacts:
    """The few facts about an article that scoring and grouping need, new or stored."""

    article_id: str
    text: str
    title: str | None
    site: str | None
    published_at: datetime | None
    seen_at: datetime
    language: str | None = None
