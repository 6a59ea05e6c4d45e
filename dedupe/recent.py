"""What a run keeps of the articles it linked last, for the batches that follow.

A stored article comes back as a candidate of later batches: a wire story reaches ten
sites within hours, and on a stream of unrelated news a stored article is scored
against new ones in about ten later batches. Each time, it was taken apart again: its
copy shingles remade (tokenising its text, hashing its word n-grams: two thirds of copy
verification on a crawl of republished stories) and its grams cut and looked up again
(most of the link stage on a stream with few copies). A run keeps the last ones it
made here, each kind within its own memory bound, and makes the rest again as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Protocol

from dedupe.frequencies import KnownFrequencies

# ~4,500 articles of 1,800 words, or 50,000 of 150: a few percent of a run's memory.
SHINGLES_MAX_BYTES = 32 * 2**20
# ~1,700 articles of 1,500 distinct grams (a news page), or ~4,500 short ones.
GRAMS_MAX_BYTES = 32 * 2**20
# What an entry costs beside its arrays' data (their headers, the tuple, the dict's
# slot): on short articles it is a third of the entry, and a bound on the hashes alone
# let 100,000 short pages' entries take 100 MB for 64 MB of hashes. Grams hold two
# arrays and their record (measured with tracemalloc: ~520 bytes an entry).
ENTRY_OVERHEAD = 300
GRAMS_ENTRY_OVERHEAD = 520


class Sized(Protocol):
    @property
    def nbytes(self) -> int: ...


class Recent:
    """Article id -> what was made of its content (a numpy array, or anything with its
    `nbytes`), least recently used out first, within `max_bytes` counting each entry's
    overhead. An entry holds for the content it was made from only: an article whose
    text changed (reprocessed by a newer extractor) is made again."""

    def __init__(self, max_bytes: int = SHINGLES_MAX_BYTES, overhead: int = ENTRY_OVERHEAD):
        self.max_bytes, self.overhead = max_bytes, overhead
        self.nbytes = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[str, tuple[int, Sized]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, article_id: str, content: Hashable) -> Sized | None:
        entry = self._entries.get(article_id)
        if entry is None or entry[0] != hash(content):
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(article_id)
        return entry[1]

    def put(self, article_id: str, content: Hashable, value: Sized) -> None:
        old = self._entries.pop(article_id, None)
        if old is not None:
            self.nbytes -= self._cost(old[1])
        if self._cost(value) > self.max_bytes:
            return
        self._entries[article_id] = (hash(content), value)
        self.nbytes += self._cost(value)
        while self.nbytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.nbytes -= self._cost(dropped)

    def _cost(self, value: Sized) -> int:
        return value.nbytes + self.overhead


@dataclass
class RecentWork:
    """A run's recent articles: their copy shingles (made from the body) and their
    grams (`dedupe.terms.GramCounts`, made from the body, the title and the language's
    stop words); and the stored document frequencies of the terms the run met."""

    shingles: Recent = field(default_factory=lambda: Recent(SHINGLES_MAX_BYTES))
    grams: Recent = field(
        default_factory=lambda: Recent(GRAMS_MAX_BYTES, GRAMS_ENTRY_OVERHEAD))
    frequencies: KnownFrequencies = field(default_factory=KnownFrequencies)
