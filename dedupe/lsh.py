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
