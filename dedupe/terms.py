"""Term rarity and TF-IDF vectors: what makes an article's vocabulary its own."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy as np
import stop_words

from dedupe.minhash import distinct, shingle_hashes
from dedupe.normalize import light_stem, tokenize
from dedupe.shingles import is_content_term, stems, term_counts
from extract.language import stoplist


@cache
def stop_words_of(language: str | None) -> frozenset[str]:
    """The language's function words, normalised like the text they filter.

    Short function-word lists (stop-words) rather than jusText's: jusText's are the few
    thousand most frequent words, which include event words such as "aggression" or
    "assistance" in Arabic, and those must count here. jusText's list is the fallback
    for languages stop-words lacks.
    """
    try:
        words = stop_words.get_stop_words(language or "")
    except stop_words.StopWordError:
        words = stoplist(language)
    return frozenset(t for word in words for t in tokenize(word))


@cache
def stop_stems(language: str | None) -> frozenset[str]:
    return frozenset(light_stem(t) for t in stop_words_of(language))


# Pseudo-documents in which no term occurs: until a warehouse holds many articles, a
# term seen in 3 of 5 is not known to be common, so rarity should barely count yet.
PRIOR_DOCS = 100


@dataclass(frozen=True)
class TermStats:
    """Document frequencies of terms over the warehouse (and the batch being added)."""

    n_docs: int = 0
    df: Mapping[str, int] = field(default_factory=dict)
    # idf of the terms asked for so far: a batch asks for the same grams thousands of times
    _idf: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def idf(self, term: str) -> float:
        value = self._idf.get(term)
        if value is None:
            value = self._idf[term] = self._idf_of(term)
        return value

    def _idf_of(self, term: str) -> float:
        return math.log((self.n_docs + PRIOR_DOCS + 1) / (self.df.get(term, 0) + 1)) + 1.0

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """The idf of every term asked for so far, these included: a batch weighs
        millions of grams, and a lookup in this dict is a fifth of a call to `idf`."""
        known = self._idf
        for term in terms:
            if term not in known:
                known[term] = self._idf_of(term)
        return known

    def plus(self, documents: list[set[str]]) -> TermStats:
        """These stats with more documents counted in."""
        return self.plus_counts(document_frequencies(documents), len(documents))

    def plus_counts(self, df: Mapping[str, int], n_docs: int) -> TermStats:
        """These stats with the document frequencies of `n_docs` more documents added."""
        merged = Counter(self.df)
        merged.update(df)
        return TermStats(self.n_docs + n_docs, merged)


def document_frequencies(documents: Iterable[set[str]]) -> Counter[str]:
    """In how many of the documents each term occurs (each a set of distinct terms)."""
    df: Counter[str] = Counter()
    for terms in documents:
        df.update(terms)
    return df


# Character n-grams inside words, with word boundaries marked. Outlets inflect the
# same names and words differently (Arabic clitics and broken plurals, English
# -s/-ed/-ing), and a light stemmer catches only part of it; 5-grams match the shared
# part of two forms of a word while still telling words apart.
GRAM_CHARS = 5
BOUNDARY = "#"  # never inside a \w+ token, so grams and word terms cannot collide


def char_grams(tokens: list[str], stops: frozenset[str], n: int = GRAM_CHARS) -> Counter[str]:
    grams: Counter[str] = Counter()
    # Each distinct word is cut into grams once, weighted by how often it occurs.
    for token, count in Counter(tokens).items():
        if not is_content_term(token, stops):
            continue
        word = f"{BOUNDARY}{token}{BOUNDARY}"
        for i in range(max(1, len(word) - n + 1)):
            grams[word[i : i + n]] += count
    return grams


@dataclass(frozen=True)
class Analysed:
    """An article's text taken apart once, for fingerprints and for scoring.

    `tokens` and `stems` are the body alone (copies compare bodies); `counts` and
    `grams` also hold the title, which names the event more plainly than any line
    of the body. `grams` are cut when first asked for: a stored article compared only
    as a possible copy never needs them.
    """

    tokens: list[str]
    stems: list[str]
    stops: frozenset[str]
    counts: Counter[str]
    title_tokens: list[str]
    language: str | None

    @cached_property
    def grams(self) -> Counter[str]:
        return char_grams(self.title_tokens + self.tokens, stop_words_of(self.language))

    def shingles(self, n: int) -> np.ndarray:
        """The hashes of the body's word n-grams, sorted and distinct: what a copy's
        signature is made of and its verification compares. Made once per n, and, like
        `grams`, in the worker that analyses the article: the flow's process made them
        twice per new article (signature, then verification), a tenth of its linking."""
        made = self.__dict__.setdefault("_shingles", {})
        if n not in made:
            made[n] = distinct(shingle_hashes(self.tokens, n))
        return made[n]

    @property
    def terms(self) -> set[str]:
        """What document frequencies are counted over: word stems and grams."""
        return set(self.counts) | set(self.grams)


def analyse(text: str, language: str | None, title: str | None = None) -> Analysed:
    tokens = tokenize(text)
    stemmed = stems(tokens)
    stops = stop_stems(language)
    title_tokens = tokenize(title or "")
    counts = term_counts(stemmed + stems(title_tokens), stops)
    return Analysed(tokens, stemmed, stops, counts, title_tokens, language)


# 1 + log(tf) of the counts most terms have, worked out once.
_LOG_TF_BELOW = 256
_LOG_TF = [0.0] + [1.0 + math.log(c) for c in range(1, _LOG_TF_BELOW)]


def tfidf(counts: Counter[str], stats: TermStats) -> dict[str, float]:
    idf, log_tf, log = stats.idfs(counts), _LOG_TF, math.log
    return {t: (log_tf[c] if c < _LOG_TF_BELOW else 1.0 + log(c)) * idf[t]
            for t, c in counts.items()}


def salient(vector: Mapping[str, float], k: int) -> tuple[str, ...]:
    """The k heaviest terms, ties broken by the term so the choice is deterministic."""
    if k <= 0:
        return ()
    if len(vector) > k:
        # only the terms as heavy as the k-th heaviest can be chosen: a sort of bare
        # floats finds it, and the keyed sort is left with a few dozen terms
        floor = sorted(vector.values(), reverse=True)[k - 1]
        vector = {t: w for t, w in vector.items() if w >= floor}
    return tuple(t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def unit(vector: Mapping[str, float]) -> dict[str, float]:
    """The vector scaled to length 1, so that cosine is a dot product (scored once per
    article, not once per candidate pair)."""
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0
