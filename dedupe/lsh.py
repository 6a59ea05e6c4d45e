"""LSH banding: signatures to band keys, and the candidate pairs that share one."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One signed 64-bit key per band; the band number is part of the key, so equal
    values in different bands never collide."""
    keys = np.empty(bands, dtype=np.int64)
    view = sig[: bands * rows].astype("<u4").reshape(bands, rows)
    for band in range(bands):
        digest = hashlib.blake2b(view[band].tobytes(), digest_size=8, person=b"band%04d" % band)
        keys[band] = int.from_bytes(digest.digest(), "little", signed=True)
    return keys


# Event band keys are stored with the publication time in their top 16 bits: a stored
# key is (time bucket << 48) | the band key's low 48 bits. A lookup then asks only for
# the buckets of its event window, and the join emits no row of the same salient term
# in another year: on a million-article warehouse spanning years, each batch's hash
# join had emitted seven rows outside the window for every one inside it. 48 bits
# still leave a false match one in ~10^7 among a million articles' keys, and the
# lookup checks the days anyway. Buckets are 16 days whatever the window: the stored
# keys do not depend on a setting that may change.
BUCKET_DAYS = 16
KEY_BITS = 48
KEY_MASK = (1 << KEY_BITS) - 1
UNDATED_BUCKET = 0
EPOCH_BUCKET = 1 << 14  # day 0 (1970-01-01) is bucket 16384
LAST_BUCKET = (1 << 15) - 1  # non-negative keys; days beyond +-700 years share the ends


def time_bucket(day: int | None) -> int:
    """The bucket of a publication day (days since 1970-01-01); 0 when undated."""
    if day is None:
        return UNDATED_BUCKET
    return min(max(day // BUCKET_DAYS + EPOCH_BUCKET, 1), LAST_BUCKET)


def window_buckets(day: int, window_days: int) -> range:
    """The buckets holding every day within `window_days` of `day`."""
    return range(time_bucket(day - window_days), time_bucket(day + window_days) + 1)


def bucketed_keys(keys: np.ndarray, bucket: int) -> np.ndarray:
    """Band keys as stored (and looked up) for one time bucket."""
    return (keys & np.int64(KEY_MASK)) | np.int64(bucket << KEY_BITS)


def shared_band_counts(keys_by_id: dict[str, np.ndarray]) -> Counter[tuple[str, str]]:
    """Pairs of ids (sorted) that share band keys, with how many they share."""
    buckets: dict[int, list[str]] = defaultdict(list)
    for article_id in sorted(keys_by_id):  # so each bucket's pairs come out sorted
        for key in set(keys_by_id[article_id].tolist()):
            buckets[key].append(article_id)
    counts: Counter[tuple[str, str]] = Counter()
    for ids in buckets.values():
        if len(ids) > 1:
            counts.update(combinations(ids, 2))
    return counts
