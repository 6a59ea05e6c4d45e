"""LSH banding: signatures to band keys, and the candidate pairs that share one."""

from __future__ import annotations

import hashlib
from collections import defaultdict
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


def candidate_pairs(keys_by_id: dict[str, np.ndarray]) -> set[tuple[str, str]]:
    """Pairs of ids (sorted) that share at least one band key."""
    buckets: dict[int, list[str]] = defaultdict(list)
    for article_id, keys in keys_by_id.items():
        for key in keys.tolist():
            buckets[key].append(article_id)
    pairs: set[tuple[str, str]] = set()
    for ids in buckets.values():
        if len(ids) > 1:
            pairs.update(tuple(sorted(p)) for p in combinations(set(ids), 2))
    return pairs
