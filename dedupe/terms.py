"""Term rarity and TF-IDF vectors: what makes an article's vocabulary its own."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import stop_words

from dedupe.normalize import light_stem, tokenize
from dedupe.shingles import stems, term_counts
from extract.language import stoplist


@cache
def stop_stems(language: str | None) -> frozenset[str]:
    """The language's function words, normalised and stemmed like the text they filter.

    Short function-word lists (stop-words) rather than jusText's: jusText's are the few
    thousand most frequent words, which include event words such as "aggression" or
    "assistance" in Arabic, and those must count here. jusText's list is the fallback
    for languages stop-words lacks.
    """
    try:
        words = stop_words.get_stop_words(language or "")
    except stop_words.StopWordError:
        words = stoplist(language)
    return frozenset(light_stem(t) for word in words for t in tokenize(word))


# Pseudo-documents in which no term occurs: until a warehouse holds many articles, a
# term seen in 3 of 5 is not known to be common, so rarity should barely count yet.
PRIOR_DOCS = 100


@dataclass(frozen=True)
class TermStats:
    """Document frequencies of terms over the warehouse (and the batch being added)."""

    n_docs: int = 0
    df: Mapping[str, int] = field(default_factory=dict)

    def idf(self, term: str) -> float:
        return math.log((self.n_docs + PRIOR_DOCS + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def plus(self, documents: list[set[str]]) -> TermStats:
        """These stats with more documents counted in."""
        df = Counter(self.df)
        for terms in documents:
            df.update(terms)
        return TermStats(self.n_docs + len(documents), df)


@dataclass(frozen=True)
class Analysed:
    """An article's text taken apart once, for fingerprints and for scoring."""

    tokens: list[str]
    stems: list[str]
    stops: frozenset[str]
    counts: Counter[str]

    @property
    def terms(self) -> set[str]:
        return set(self.counts)


def analyse(text: str, language: str | None) -> Analysed:
    tokens = tokenize(text)
    stemmed = stems(tokens)
    stops = stop_stems(language)
    return Analysed(tokens, stemmed, stops, term_counts(stemmed, stops))


def tfidf(counts: Counter[str], stats: TermStats) -> dict[str, float]:
    return {t: (1.0 + math.log(c)) * stats.idf(t) for t, c in counts.items()}


def salient(vector: Mapping[str, float], k: int) -> tuple[str, ...]:
    """The k heaviest terms, ties broken by the term so the choice is deterministic."""
    return tuple(t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0
