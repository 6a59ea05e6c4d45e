"""What one batch of pages leaves in the warehouse, gathered for one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from dedupe.grouping import Grouping
from dedupe.lsh import KEY_MASK, UNDATED_BUCKET, bucketed_keys, time_bucket, window_buckets
from dedupe.records import Fingerprint, Link
from extract.records import Extraction
from extract.templates import SiteSample


@dataclass(frozen=True)
class BatchWrite:
    run_id: str
    extractions: list[Extraction]
    fingerprints: list[Fingerprint] = field(default_factory=list)
    # In how many of the batch's new articles each term occurs: added to `term_df`.
    term_df: Counter[str] = field(default_factory=Counter)
    links: list[Link] = field(default_factory=list)
    grouping: Grouping | None = None
    # Stored pages extracted again (`newsdedup reprocess`): their rows in `pages` are
    # updated and they leave the reprocess queue.
    reprocessed: bool = False
    # The template samples of the sites this batch added articles to, each whole: they
    # replace what the warehouse held for those sites.
    site_samples: dict[str, tuple[SiteSample, ...]] = field(default_factory=dict)


def article_key(article_id: str) -> int:
    """The article id (16 hex digits) as the number the band tables store: a band lookup
    reads this column for every stored band key, and 8 bytes read and join several
    times faster than a 16-character string (in SQL: ('0x' || article_id)::UBIGINT)."""
    return int(article_id, 16)


def article_id_of(key: int) -> str:
    return f"{key:016x}"


def band_rows(fingerprints: list[Fingerprint]) -> dict[str, pa.Table]:
    """The LSH band keys of fingerprints as rows of each index's table (`copy_bands`,
    `event_bands`), as they are stored, and the time buckets of the event keys
    (`event_buckets`). Only event rows carry the publication day, and their keys its
    time bucket (`dedupe.lsh.bucketed_keys`): copies are copies whenever they were
    published."""
    buckets = [time_bucket(f.event_day) for f in fingerprints]
    event_keys = [bucketed_keys(f.event_bands, b) for f, b in zip(fingerprints, buckets,
                                                                   strict=True)]
    return {
        "copy_bands": _key_rows(fingerprints, [f.copy_bands for f in fingerprints]),
        "event_bands": _key_rows(fingerprints, event_keys, [f.event_day for f in fingerprints]),
        "event_buckets": pa.table({"bucket": pa.array(sorted(set(buckets)), pa.int16())}),
    }


def event_probe_rows(fingerprints: list[Fingerprint], window_days: int,
                     stored_buckets: Iterable[int]) -> pa.Table:
    """The event keys a batch looks up: a dated article's in each bucket of its window
    and in the undated bucket; an undated article's in every bucket stored, since it may
    belong to any event."""
    stored_buckets = sorted(set(stored_buckets) | {UNDATED_BUCKET})
    keys = []
    for f in fingerprints:
        buckets = stored_buckets if f.event_day is None else \
            [UNDATED_BUCKET, *window_buckets(f.event_day, window_days)]
        keys.append(np.concatenate([bucketed_keys(f.event_bands, b) for b in buckets])
                    if len(f.event_bands) else f.event_bands)
    return _key_rows(fingerprints, keys, [f.event_day for f in fingerprints])


def bucketless_probe_rows(fingerprints: list[Fingerprint]) -> pa.Table:
    """The event keys of these articles without any time bucket (their low bits), for a
    lookup that masks the stored keys' buckets off instead."""
    return _key_rows(fingerprints, [f.event_bands & np.int64(KEY_MASK) for f in fingerprints])


def _key_rows(fingerprints: list[Fingerprint], keys: list[np.ndarray],
              days: list[int | None] | None = None) -> pa.Table:
    """One row per key: the key, its article, and the article's day when given."""
    counts = [len(k) for k in keys]
    columns = {
        "band_key": pa.array(np.concatenate(keys) if keys else np.empty(0, np.int64),
                             pa.int64()),
        "article_key": pa.array(np.repeat(np.array(
            [article_key(f.article_id) for f in fingerprints], np.uint64), counts)),
    }
    if days is not None:
        undated = np.repeat(np.array([d is None for d in days], bool), counts)
        columns["day"] = pa.array(
            np.repeat(np.array([d or 0 for d in days], np.int32), counts),
            pa.int32(), mask=undated)
    return pa.table(columns)
