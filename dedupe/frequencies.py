"""What a run knows of the warehouse's document frequencies, so a batch reads only the
terms no earlier batch of the run asked for.

Every batch weighs its terms by their document frequency over the warehouse: ~60,000
terms (word stems and character grams) a batch of news pages, most of which every
batch has (a language's common grams). Read from the warehouse each time, with the
dict of them built again, that was a tenth of linking.

What was read stays exact if each batch's own counts are added once the batch is
written. Whether it was is told by the number of indexed articles the next batch
sees: grown by the batch's articles, the batch was written (a batch is written whole
or not at all); unchanged, it was not; anything else (another writer between two
batches) and what is known is dropped and read again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from dedupe.terms import TermStats

# ~100 bytes a term (its string and the dict's slot): ~40 MB at most, where a run of
# 100,000 pages meets over a million terms.
MAX_TERMS = 400_000


@dataclass
class KnownFrequencies:
    """Term -> warehouse articles holding it, for the terms a run met, as of `n_docs`
    indexed articles; and the counts of the batch last weighed, until it is known to be
    written."""

    max_terms: int = MAX_TERMS
    n_docs: int | None = None  # None: nothing known yet
    df: dict[str, int] = field(default_factory=dict)
    pending: tuple[Mapping[str, int], int] | None = None
    reads: int = 0  # terms read from the warehouse, for benchmarks

    def unknown(self, terms: Iterable[str], n_docs: int) -> list[str]:
        """Of these terms, the ones to read from a warehouse of `n_docs` indexed
        articles."""
        self._catch_up(n_docs)
        missing = list(set(terms).difference(self.df))
        self.reads += len(missing)
        return missing

    def learn(self, terms: list[str], stored: Mapping[str, int]) -> None:
        """The stored frequencies of `terms` as read (a term not stored is in none)."""
        self.df.update(zip(terms, map(stored.get, terms, repeat(0)), strict=True))

    def weigh(self, batch_df: Mapping[str, int], batch_docs: int) -> TermStats:
        """Frequencies over the warehouse and the batch, for the batch's terms (all
        known by now): what the warehouse will hold once the batch is written."""
        known = self.df
        summed = {t: known[t] + c for t, c in batch_df.items()}
        self.pending = (summed, batch_docs)
        return TermStats((self.n_docs or 0) + batch_docs, summed)

    def _catch_up(self, n_docs: int) -> None:
        if self.pending is not None:
            summed, batch_docs = self.pending
            self.pending = None
            if batch_docs and n_docs == (self.n_docs or 0) + batch_docs:  # written
                self.df.update(summed)
                self.n_docs = n_docs
        if n_docs != self.n_docs:
            self.df.clear()
            self.n_docs = n_docs
        elif len(self.df) > self.max_terms:
            self._keep_commonest(self.max_terms // 2)

    def _keep_commonest(self, n: int) -> None:
        """About the n terms in most articles stay: the ones every batch asks for again.
        Terms tied at the cut all stay, or, if that is too many, all go."""
        counts = np.fromiter(self.df.values(), np.int64, len(self.df))
        floor = int(np.partition(counts, len(counts) - n)[len(counts) - n])
        if np.count_nonzero(counts >= floor) > self.max_terms:
            floor += 1
        self.df = {t: c for t, c in self.df.items() if c >= floor}

