"""The copy shingles of recently linked articles, kept for the batches that follow.

Republished copies arrive close together: a wire story reaches ten sites within hours,
so a new article's stored copy candidates are mostly articles a recent batch linked.
Verifying a copy needs the stored article's shingles, and remaking them (tokenising
its text again, hashing its word n-grams) was two thirds of copy verification on a
crawl of republished stories. A run keeps the last ones it made here, up to a memory
bound, and makes the rest again as before.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

# ~4,500 articles of 1,800 words, or 50,000 of 150: a few percent of a run's memory.
DEFAULT_MAX_BYTES = 32 * 2**20
# What an entry costs beside its hashes (the array's header, the tuple, the dict's
# slot): on short articles it is a third of the entry, and a bound on the hashes
# alone let 100,000 short pages' entries take 100 MB for 64 MB of hashes.
ENTRY_OVERHEAD = 300


class RecentShingles:
    """Article id -> its sorted distinct copy-shingle hashes, least recently used out
    first, within `max_bytes` counting each entry's overhead. An entry holds for the
    text it was made from only: an article whose text changed (reprocessed by a newer
    extractor) is made again."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._entries: OrderedDict[str, tuple[int, np.ndarray]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, article_id: str, text: str) -> np.ndarray | None:
        entry = self._entries.get(article_id)
        if entry is None or entry[0] != hash(text):
            return None
        self._entries.move_to_end(article_id)
        return entry[1]

    def put(self, article_id: str, text: str, shingles: np.ndarray) -> None:
        old = self._entries.pop(article_id, None)
        if old is not None:
            self.nbytes -= _cost(old[1])
        if _cost(shingles) > self.max_bytes:
            return
        self._entries[article_id] = (hash(text), shingles)
        self.nbytes += _cost(shingles)
        while self.nbytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.nbytes -= _cost(dropped)


def _cost(shingles: np.ndarray) -> int:
    return shingles.nbytes + ENTRY_OVERHEAD
