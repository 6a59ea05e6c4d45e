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

# ~9,000 articles of 1,800 words; a few percent of a run's memory.
DEFAULT_MAX_BYTES = 64 * 2**20


class RecentShingles:
    """Article id -> its sorted distinct copy-shingle hashes, least recently used out
    first. An entry holds for the text it was made from only: an article whose text
    changed (reprocessed by a newer extractor) is made again."""

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
            self.nbytes -= old[1].nbytes
        if shingles.nbytes > self.max_bytes:
            return
        self._entries[article_id] = (hash(text), shingles)
        self.nbytes += shingles.nbytes
        while self.nbytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.nbytes -= dropped.nbytes
