"""LSH banding: signatures to band keys, and the candidate pairs that share one."""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache

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
    """Pairs of ids (sorted) that share band keys, with how many they share.

    In numpy: a batch's event bands put hundreds of keys in buckets of dozens of
    articles (one salient term each, in effect), and counting their pairs as Python
    tuples was a tenth of linking."""
    ids = sorted(keys_by_id)
    rows = [np.unique(np.asarray(keys_by_id[i], dtype=np.int64)) for i in ids]
    if len(ids) < 2:
        return Counter()
    keys = np.concatenate(rows)
    owner = np.repeat(np.arange(len(ids), dtype=np.int64), [len(r) for r in rows])
    order = np.argsort(keys, kind="stable")  # owners stay ascending within a bucket
    keys, owner = keys[order], owner[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    n = len(ids)
    codes = [owner[s + i] * n + owner[s + j]
             for s, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(),
                                strict=True)
             for i, j in (_pairs_of(size),)]
    if not codes:
        return Counter()
    pair_codes, counts = np.unique(np.concatenate(codes), return_counts=True)
    return Counter({(ids[c // n], ids[c % n]): k
                    for c, k in zip(pair_codes.tolist(), counts.tolist(), strict=True)})


@lru_cache(maxsize=256)
def _pairs_of(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs i < j of a bucket of `size`."""
    return np.triu_indices(size, 1)
