"""Term rarity and TF-IDF vectors: what makes an article's vocabulary its own."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import repeat

import numpy as np
import stop_words

from dedupe.minhash import distinct, shingle_hashes
from dedupe.normalize import light_stem, tokenize
from dedupe.quotes import tokenize_quoted
from dedupe.shingles import is_content_term, term_counts
from dedupe.shingles import stems as stem_tokens
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

    def _idfs_of(self, terms: list[str]) -> np.ndarray:
        """log((n_docs + PRIOR_DOCS + 1) / (df + 1)) + 1 of each term, with the loops in C
        (a batch meets a million grams new to it): the floats Python's own arithmetic
        gives, as the division is exact IEEE in both and the log is `math.log`."""
        dfs = np.fromiter(map(self.df.get, terms, repeat(0)), np.float64, len(terms))
        ratios = (self.n_docs + PRIOR_DOCS + 1) / (dfs + 1.0)
        return np.fromiter(map(math.log, ratios.tolist()), np.float64, len(terms)) + 1.0

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """The idf of every term asked for so far, these included: a batch weighs
        millions of grams, and a lookup in this dict is a fifth of a call to `idf`."""
        known = self._idf
        new = list(set(terms).difference(known))
        if new:
            known.update(zip(new, self._idfs_of(new).tolist(), strict=True))
        return known

    @cached_property
    def _keyed_df(self) -> tuple[np.ndarray, np.ndarray]:
        """The document frequencies by the terms' keys (`gram_counts`), sorted."""
        keys = np.fromiter(map(hash, self.df), np.int64, len(self.df))
        dfs = np.fromiter(self.df.values(), np.float64, len(self.df))
        order = np.argsort(keys)
        return keys[order], dfs[order]

    def idfs_of_keys(self, keys: np.ndarray) -> np.ndarray:
        """The idf of each term given by its key, as `idfs` gives it by the term (to
        the last bit or so: numpy's log here, `math.log` there)."""
        known, dfs = self._keyed_df
        df = np.zeros(len(keys))
        if len(known) and len(keys):
            at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
            df = np.where(known[at] == keys, dfs[at], 0.0)
        return np.log((self.n_docs + PRIOR_DOCS + 1) / (df + 1.0)) + 1.0

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
# Never inside a \w+ token: a word's first and last grams differ from the same letters
# inside a word. A gram from inside a longer word has no mark, and is the same string
# as a five-letter word (stemmed "تحالف" and the middle of "#تحالف#"): counted
# together in `Analysed.terms`, the two share one document frequency, that of the
# articles having either.
BOUNDARY = "#"


def char_grams(tokens: list[str], stops: frozenset[str], n: int = GRAM_CHARS) -> Counter[str]:
    """The grams of each distinct content word, counted as often as the word occurs.
    Words that occur once (most of them) are counted by Counter's C loop in one call:
    a stored candidate is cut again in every batch that compares it."""
    grams: Counter[str] = Counter()
    once = []
    for token, count in Counter(tokens).items():
        if not is_content_term(token, stops):
            continue
        word = f"{BOUNDARY}{token}{BOUNDARY}"
        if count == 1:
            once.append(word)
            continue
        for i in range(max(1, len(word) - n + 1)):
            grams[word[i : i + n]] += count
    grams.update(word[i : i + n] for word in once for i in range(max(1, len(word) - n + 1)))
    return grams


@dataclass(frozen=True)
class Analysed:
    """An article's text taken apart once, for fingerprints and for scoring.

    `tokens` and `stems` are the body alone (copies compare bodies); `counts` and
    `grams` also hold the title, which names the event more plainly than any line
    of the body. All but the words are made when first asked for: a stored article
    compared as a possible copy needs only its words' shingles, and one scored as an
    event its words' grams; only a link's evidence and shared passages need stems.
    (The worker that analyses a new article makes them all: `flows.work`.)
    """

    tokens: list[str]
    title_tokens: list[str]
    language: str | None
    # the spans of `tokens` inside quotation marks (`dedupe.quotes`)
    quotes: tuple[tuple[int, int], ...] = ()

    @cached_property
    def stems(self) -> list[str]:
        return stem_tokens(self.tokens)

    @cached_property
    def stops(self) -> frozenset[str]:
        return stop_stems(self.language)

    @cached_property
    def counts(self) -> Counter[str]:
        return term_counts(self.stems + stem_tokens(self.title_tokens), self.stops)

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

    def __getstate__(self) -> dict:
        # The language's stop stems are one cached set per language (`stop_stems`):
        # pickled with every article a worker sends, they were a quarter of what the
        # flow's process spent unpickling analyses, and 10 kB an article on the pipe.
        state = {k: v for k, v in self.__dict__.items() if k != "stops"}
        # Word lists and counters go as one string each (and the counts as an array):
        # pickled word by word, an article's ~3,000 strings cost its worker 1.2 ms to
        # dump, joined 0.2 ms. (Loading costs the flow's process ~0.7 ms either way:
        # making the strings is the cost.)
        if state.get("stems") == self.tokens:  # no Arabic: nothing to strip
            state["stems"] = None
        for name in _WORD_LISTS:
            if state.get(name) is not None:
                state[name] = _SEPARATOR.join(state[name])
        for name in _COUNTERS:
            if name in state:
                counter = state[name]
                state[name] = (_SEPARATOR.join(counter),
                               np.fromiter(counter.values(), np.uint32, len(counter)))
        return state

    def __setstate__(self, state: dict) -> None:
        for name in _WORD_LISTS:
            if state.get(name) is not None:
                state[name] = _words(state[name])
        if "stems" in state and state["stems"] is None:
            state["stems"] = list(state["tokens"])
        for name in _COUNTERS:
            if name in state:
                keys, counts = state[name]
                state[name] = Counter(dict(zip(_words(keys), counts.tolist(), strict=True)))
        self.__dict__.update(state)

    @property
    def terms(self) -> set[str]:
        """What document frequencies are counted over: word stems and grams."""
        return set(self.counts).union(self.grams)


# What `Analysed` pickles as one string each. Its words, stems and grams are cut from
# \w+ tokens, so none holds a space.
_WORD_LISTS = ("tokens", "title_tokens", "stems")
_COUNTERS = ("counts", "grams")
_SEPARATOR = " "


def _words(joined: str) -> list[str]:
    return joined.split(_SEPARATOR) if joined else []


def analyse(text: str, language: str | None, title: str | None = None) -> Analysed:
    """The text's words; the rest of the analysis is made as it is asked for."""
    tokens, quotes = tokenize_quoted(text)
    return Analysed(tokens, tokenize(title or ""), language, quotes)


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


@dataclass(frozen=True, slots=True)
class GramCounts:
    """An article's grams as keys, sorted and distinct, with their counts: the grams'
    str hashes, ~12 bytes a gram against ~100 in a Counter. A stored article is a
    candidate of about ten later batches, and cutting its grams again in each, then
    looking each up by its string, was most of the link stage on a stream of unrelated
    news; kept in this form (`dedupe.recent`), its vector is a few numpy calls.
    str hashes are salted per process: keys are made and compared in one process and
    never stored. Two grams of 64-bit hashes collide about once in 10^13 articles;
    they are then counted as one."""

    keys: np.ndarray    # int64
    counts: np.ndarray  # uint32

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.counts.nbytes


def gram_counts(grams: Counter[str]) -> GramCounts:
    keys = np.fromiter(map(hash, grams), np.int64, len(grams))
    counts = np.fromiter(grams.values(), np.uint32, len(grams))
    order = np.argsort(keys)
    keys, counts = keys[order], counts[order]
    if len(keys) > 1 and (keys[1:] == keys[:-1]).any():
        keys, inverse = np.unique(keys, return_inverse=True)
        counts = np.bincount(inverse, weights=counts).astype(np.uint32)
    return GramCounts(keys, counts)


@dataclass(frozen=True)
class SparseVector:
    """A unit vector over terms: their keys (`gram_counts`), sorted, and weights.
    Scoring compares each new article with up to 20 stored ones; as dicts of ~1,000
    grams, the dot products and the vectors themselves were most of linking's time."""

    ids: np.ndarray
    weights: np.ndarray

    def dot(self, other: SparseVector) -> float:
        a, b = (self, other) if len(self.ids) <= len(other.ids) else (other, self)
        if not len(a.ids):
            return 0.0
        at = np.minimum(np.searchsorted(b.ids, a.ids), len(b.ids) - 1)
        hit = b.ids[at] == a.ids
        return float(a.weights[hit] @ b.weights[at[hit]])


def unit_vector(grams: GramCounts, stats: TermStats) -> SparseVector:
    """TF-IDF of the grams scaled to length 1, so that cosine is a dot product (made
    once per article and batch, not once per candidate pair)."""
    weights = (1.0 + np.log(grams.counts)) * stats.idfs_of_keys(grams.keys)
    norm = math.sqrt(float(weights @ weights))
    if not norm:
        return SparseVector(np.empty(0, np.int64), np.empty(0))
    return SparseVector(grams.keys, weights / norm)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0
