"""MinHash signatures, bit-identical to datasketch's for the same seed and num_perm.

datasketch 2's "affine32" scheme: uint32 values, a collision-free permutation step.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHash

SCHEME = "affine32"


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # datasketch draws the permutations on every construction; draw them once.
    return MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations


def signature(shingles: set[str], num_perm: int, seed: int) -> np.ndarray:
    m = MinHash(
        num_perm=num_perm, seed=seed, permutations=_permutations(num_perm, seed), scheme=SCHEME
    )
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m.hashvalues.astype(np.uint32, copy=False)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def estimate_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from the Jaccard estimate and the set sizes."""
    if jaccard <= 0 or min(size_a, size_b) == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, intersection / min(size_a, size_b))
