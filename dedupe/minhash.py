"""MinHash signatures, bit-identical to datasketch's for the same seed and hash function.

datasketch 2's "affine32" scheme: uint32 values, the input hash pre-mixed with the
MurmurHash3 finalizer, then one affine permutation per signature slot.

The hash of a shingle is built from the hashes of its words (xxh32, as datatrove
hashes shingles with xxhash): h = (h * FNV_PRIME) ^ xxh32(word), word by word. A text's
words are hashed once each, and all its shingle hashes then come out of a few numpy
operations, instead of one Python call per shingle; `shingle_hash` is the same
function one shingle at a time, to give datasketch as its `hashfunc`.
"""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import numpy as np
import xxhash

if TYPE_CHECKING:
    from datasketch import MinHash

SCHEME = "affine32"
FNV_PRIME = 0x01000193
MASK32 = 0xFFFFFFFF
EMPTY = np.uint32(MASK32)
_MAX_CACHED_WORDS = 1_000_000
_word_hashes: dict[str, int] = {}


def word_hash(word: str) -> int:
    h = _word_hashes.get(word)
    if h is None:
        if len(_word_hashes) >= _MAX_CACHED_WORDS:
            _word_hashes.clear()
        h = _word_hashes[word] = xxhash.xxh32_intdigest(word.encode("utf-8"))
    return h


def shingle_hash(shingle: bytes) -> int:
    """The hash function, one shingle (words joined by single spaces) at a time."""
    h = 0
    for word in shingle.decode("utf-8").split(" "):
        h = ((h * FNV_PRIME) & MASK32) ^ word_hash(word)
    return h


def shingle_hashes(tokens: list[str], n: int) -> np.ndarray:
    """The hashes of a text's word n-grams in text order, repeats kept (a text shorter
    than n is one shingle of itself); each equals `shingle_hash` of the joined n-gram.
    Repeats cannot change a minimum, and not sorting them out saves a fifth of the
    time of a signature."""
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    known = list(map(_word_hashes.get, tokens))  # map over a dict method: no Python frames
    try:
        words = np.array(known, dtype=np.uint32)
    except TypeError:  # a word not hashed yet (None): looking for them first cost 15 %
        words = np.array([word_hash(t) if h is None else h
                          for t, h in zip(tokens, known, strict=True)], dtype=np.uint32)
    n = min(n, len(words))
    count = len(words) - n + 1
    h = words[:count].copy()
    prime = np.uint32(FNV_PRIME)
    for k in range(1, n):
        h *= prime
        h ^= words[k : k + count]
    return h


def shingle_count(n_tokens: int, n: int) -> int:
    """How many hashes `shingle_hashes` gives for a text of n_tokens words."""
    return n_tokens - min(n, n_tokens) + 1 if n_tokens else 0


def distinct(hashes: np.ndarray) -> np.ndarray:
    """The hashes sorted, each once: `np.unique`'s result at a tenth of its time on a
    text's few thousand shingles (numpy 2 hashes first, then sorts)."""
    ordered = np.sort(hashes)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """How many values two sorted, distinct arrays have in common: the shorter one's
    values looked up in the longer. `np.intersect1d` sorts both together, twice the
    time on a pair of news texts' shingles (10 against 20 µs at 800 each); the flow's
    process verifies ~50,000 copy candidates in 6,000 pages."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.searchsorted(b, a)
    np.minimum(at, len(b) - 1, out=at)
    return int(np.count_nonzero(b[at] == a))


@cache
def _datasketch():
    """datasketch's MinHash and hash mixer, imported when first needed: importing
    datasketch imports its LSH and, through it, scipy (0.6 s), which every process that
    starts would pay: the CLI before Prefect's server starts, each extraction worker
    (which never makes a signature) before its first page."""
    from datasketch import MinHash
    from datasketch.minhash import _fmix

    return MinHash, _fmix


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # datasketch draws the permutations on every construction; draw them once.
    minhash, _ = _datasketch()
    a, b = minhash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


# Hashes done at once, as a (permutations x hashes) block: each permutation's minimum is
# then a reduction along contiguous memory, which numpy vectorises; a third faster than
# blocks of 512 hashes by permutations (session 28). 8,192 hashes of 128 permutations
# are a 4 MB block, and most texts one block.
_CHUNK = 8192
_memory = threading.local()


def _block(num_perm: int, n: int) -> np.ndarray:
    """A (num_perm x n) block, contiguous, in memory this thread made once: a new array
    for every signature made signatures a quarter slower in a process that had been busy
    a while (the copy bench's, or a run's), and a fixed (num_perm x _CHUNK) array sliced
    to n columns a tenth slower in a fresh one (session 28)."""
    flat = getattr(_memory, "flat", None)
    if flat is None or len(flat) < num_perm * _CHUNK:
        flat = _memory.flat = np.empty(num_perm * _CHUNK, dtype=np.uint32)
    return flat[: num_perm * n].reshape(num_perm, n)


def signature_of_hashes(hashes: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    a, b = _permutations(num_perm, seed)
    out = np.full(num_perm, EMPTY, dtype=np.uint32)
    if len(hashes) == 0:
        return out
    mixed = _datasketch()[1](hashes.astype(np.uint32, copy=False), 32)
    a, b = a[:, None], b[:, None]
    for start in range(0, len(mixed), _CHUNK):
        part = mixed[None, start : start + _CHUNK]
        block = _block(num_perm, part.shape[1])
        np.multiply(a, part, out=block)
        block += b
        np.minimum(out, block.min(axis=1), out=out)
    return out


def signature(shingles: set[str], num_perm: int, seed: int) -> np.ndarray:
    """The signature of a set of strings (terms or shingles)."""
    hashes = np.fromiter(
        (shingle_hash(s.encode("utf-8")) for s in shingles), dtype=np.uint32, count=len(shingles)
    )
    return signature_of_hashes(hashes, num_perm, seed)


def datasketch_minhash(num_perm: int, seed: int) -> MinHash:
    """An empty datasketch MinHash with the same permutations and hash function."""
    minhash, _ = _datasketch()
    return minhash(num_perm=num_perm, seed=seed, scheme=SCHEME, hashfunc=shingle_hash)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def estimate_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from the Jaccard estimate and the set sizes."""
    if jaccard <= 0 or min(size_a, size_b) == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, intersection / min(size_a, size_b))
