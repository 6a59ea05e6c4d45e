"""Article to Fingerprint: the signatures and band keys the index stores."""

from __future__ import annotations

from datetime import datetime

from dedupe.lsh import band_keys
from dedupe.minhash import shingle_count, signature, signature_of_hashes
from dedupe.records import Fingerprint, day_number
from dedupe.settings import DedupeSettings
from dedupe.terms import Analysed, TermStats, salient, tfidf


def fingerprint(
    article_id: str, analysed: Analysed, stats: TermStats, settings: DedupeSettings,
    published_at: datetime | None = None,
) -> Fingerprint:
    n = settings.copy_shingle_words
    # the distinct shingles have the same minimums as all of them, and are made already
    copy_sig = signature_of_hashes(analysed.shingles(n), settings.num_perm, settings.seed)
    terms = salient(tfidf(analysed.counts, stats), settings.salient_terms)
    # An article with no content terms still gets a (degenerate) signature: it simply
    # finds no event neighbours.
    event_sig = signature(set(terms) or {""}, settings.num_perm, settings.seed)
    return Fingerprint(
        article_id=article_id,
        copy_signature=copy_sig,
        n_shingles=shingle_count(len(analysed.tokens), n),
        event_signature=event_sig,
        salient_terms=terms,
        copy_bands=band_keys(copy_sig, settings.copy_bands, settings.copy_rows),
        event_bands=band_keys(event_sig, settings.event_bands, settings.event_rows),
        event_day=day_number(published_at),
    )
