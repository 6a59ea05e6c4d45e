"""Verification of candidate pairs: exact similarity on the texts, with the evidence."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np

from dedupe.minhash import shared_count
from dedupe.records import ArticleFacts, Link, LinkKind
from dedupe.settings import DedupeSettings
from dedupe.shingles import passages, quoted_passages
from dedupe.terms import (
    Analysed,
    GramCounts,
    SparseVector,
    TermStats,
    gram_counts,
    tfidf,
    unit_vector,
)


class Profile:
    """What verification compares of one article, each part built when first needed
    (a pair verified as a copy never needs the event vector) and once per batch, not
    once per candidate pair. A stored article is analysed only when first compared."""

    def __init__(
        self, analysed: Analysed | Callable[[], Analysed], stats: TermStats,
        settings: DedupeSettings, shingles: np.ndarray | None = None,
        grams: GramCounts | None = None,
    ):
        """`shingles`, `grams`: what `shingles` and `grams` would make, when known
        already (`dedupe.recent`)."""
        self._source, self._stats, self._settings = analysed, stats, settings
        for name, known in (("shingles", shingles), ("grams", grams)):
            if known is not None:
                self.__dict__[name] = known  # what cached_property reads first

    @cached_property
    def analysed(self) -> Analysed:
        return self._source() if callable(self._source) else self._source

    @cached_property
    def shingles(self) -> np.ndarray:
        """The hashes of the word n-grams, sorted and distinct, for copies: the same
        hashes the copy signature is made of. A pair's shared shingles are then one
        sorted-array intersection, not two Python sets of strings built per article
        (two thirds of linking's time on a crawl of republished stories). 32-bit hashes
        of the ~1,000 shingles of two articles collide by chance about once in 4,000
        pairs, by one shingle: no figure moves by it."""
        return self.analysed.shingles(self._settings.copy_shingle_words)

    @property
    def shingles_if_made(self) -> np.ndarray | None:
        return self.__dict__.get("shingles")

    @cached_property
    def grams(self) -> GramCounts:
        return gram_counts(self.analysed.grams)

    @property
    def grams_if_made(self) -> GramCounts | None:
        return self.__dict__.get("grams")

    @cached_property
    def passages(self) -> set[str]:
        """Stemmed n-grams with content words, for events."""
        a = self.analysed
        return passages(a.stems, self._settings.passage_words, a.stops)

    @cached_property
    def quoted_passages(self) -> set[str]:
        """Of `passages`, those inside the text's quotation marks."""
        a = self.analysed
        return quoted_passages(a.stems, self._settings.passage_words, a.stops, a.quotes)

    @cached_property
    def vector(self) -> SparseVector:
        """Unit TF-IDF over character grams, for events."""
        return unit_vector(self.grams, self._stats)

    @cached_property
    def term_weights(self) -> dict[str, float]:
        """TF-IDF over word stems, for the shared terms of a link's evidence (an article
        of a big event is in many links)."""
        return tfidf(self.analysed.counts, self._stats)


def profile(a: Analysed, stats: TermStats, settings: DedupeSettings) -> Profile:
    return Profile(a, stats, settings)


def verify_copy(
    a: Profile, b: Profile, ids: tuple[str, str], settings: DedupeSettings
) -> Link | None:
    """A copy when most of the shorter text's shingles are in the longer one: this holds
    under other boilerplate, small edits and truncation, and fails for two outlets'
    own texts on one topic."""
    sa, sb = a.shingles, b.shingles
    if not len(sa) or not len(sb):
        return None
    inter = shared_count(sa, sb)
    jaccard = inter / (len(sa) + len(sb) - inter)
    containment = inter / min(len(sa), len(sb))
    if containment < settings.copy_min_containment and jaccard < settings.copy_min_jaccard:
        return None
    evidence = {"jaccard": round(jaccard, 4), "containment": round(containment, 4),
                "shared_shingles": inter}
    return Link(ids[0], ids[1], LinkKind.COPY, round(containment, 4), evidence)


def shared_spans(a: Analysed, shared: set[str], n: int) -> list[str]:
    """The shared passages as runs of a's words (merged where n-grams overlap)."""
    stemmed = a.stems
    hits = [i for i in range(len(stemmed) - n + 1) if " ".join(stemmed[i : i + n]) in shared]
    spans, start, end = [], None, None
    for i in hits:
        if start is not None and i <= end:
            end = i + n
            continue
        if start is not None:
            spans.append(" ".join(a.tokens[start:end]))
        start, end = i, i + n
    if start is not None:
        spans.append(" ".join(a.tokens[start:end]))
    return spans


def score_event(
    profiles: tuple[Profile, Profile],
    facts: tuple[ArticleFacts, ArticleFacts],
    settings: DedupeSettings,
) -> Link | None:
    """An event link when the two texts are alike enough in their rare grams (and,
    when less alike, share passages), share more than one word, and fall within the
    time window."""
    pa, pb = profiles
    fa, fb = facts
    days_apart = None
    if fa.published_at and fb.published_at:
        days_apart = abs((fa.published_at - fb.published_at).total_seconds()) / 86400
        if days_apart > settings.event_window_days:
            return None
    cos = pa.vector.dot(pb.vector)
    if cos < settings.event_min_cosine:
        return None
    shared = pa.passages & pb.passages
    # A passage either text quotes is a statement both report; the rest they share
    # may be the formulae of news writing around one person's unrelated statements.
    quoted = shared & (pa.quoted_passages | pb.quoted_passages) if shared else set()
    if cos < settings.event_strong_cosine and len(quoted) < settings.event_min_quoted_passages:
        return None
    va, vb = pa.term_weights, pb.term_weights
    common = va.keys() & vb.keys()
    if len(common) < settings.event_min_shared_terms:
        return None
    a = pa.analysed
    top_shared = sorted(common, key=lambda t: -(va[t] * vb[t]))[:15]
    evidence = {
        "cosine": round(cos, 4),
        "shared_passages": shared_spans(a, shared, settings.passage_words)[:10],
        "n_shared_passages": len(shared),
        "quoted_passages": shared_spans(a, quoted, settings.passage_words)[:10],
        "n_quoted_passages": len(quoted),
        "shared_terms": top_shared,
        "days_apart": None if days_apart is None else round(days_apart, 2),
    }
    return Link(fa.article_id, fb.article_id, LinkKind.EVENT, round(cos, 4), evidence)
