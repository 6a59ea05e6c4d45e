"""Verification of candidate pairs: exact similarity on the texts, with the evidence."""

from __future__ import annotations

from dedupe.records import ArticleFacts, Link, LinkKind
from dedupe.settings import DedupeSettings
from dedupe.shingles import passages, word_shingles
from dedupe.terms import Analysed, TermStats, dot, tfidf, unit


def verify_copy(
    a: Analysed, b: Analysed, ids: tuple[str, str], settings: DedupeSettings
) -> Link | None:
    """A copy when most of the shorter text's shingles are in the longer one: this holds
    under other boilerplate, small edits and truncation, and fails for two outlets'
    own texts on one topic."""
    sa = word_shingles(a.tokens, settings.copy_shingle_words)
    sb = word_shingles(b.tokens, settings.copy_shingle_words)
    if not sa or not sb:
        return None
    inter = len(sa & sb)
    jaccard = inter / len(sa | sb)
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


def gram_vector(a: Analysed, stats: TermStats) -> dict[str, float]:
    """What event scoring compares: unit TF-IDF over the article's character grams."""
    return unit(tfidf(a.grams, stats))


def score_event(
    analysed: tuple[Analysed, Analysed],
    vectors: tuple[dict[str, float], dict[str, float]],
    facts: tuple[ArticleFacts, ArticleFacts],
    stats: TermStats,
    settings: DedupeSettings,
) -> Link | None:
    """An event link when the two texts are alike enough in their rare grams (and,
    when less alike, share passages), within the time window."""
    a, b = analysed
    fa, fb = facts
    days_apart = None
    if fa.published_at and fb.published_at:
        days_apart = abs((fa.published_at - fb.published_at).total_seconds()) / 86400
        if days_apart > settings.event_window_days:
            return None
    cos = dot(*vectors)
    if cos < settings.event_min_cosine:
        return None
    n = settings.passage_words
    shared = passages(a.stems, n, a.stops) & passages(b.stems, n, b.stops)
    if cos < settings.event_strong_cosine and len(shared) < settings.event_min_passages:
        return None
    va, vb = tfidf(a.counts, stats), tfidf(b.counts, stats)
    top_shared = sorted(set(va) & set(vb), key=lambda t: -(va[t] * vb[t]))[:15]
    evidence = {
        "cosine": round(cos, 4),
        "shared_passages": shared_spans(a, shared, n)[:10],
        "n_shared_passages": len(shared),
        "shared_terms": top_shared,
        "days_apart": None if days_apart is None else round(days_apart, 2),
    }
    return Link(fa.article_id, fb.article_id, LinkKind.EVENT, round(cos, 4), evidence)
