"""Which band matches are worth scoring: the cap that keeps linking sublinear.

Event bands are single MinHash rows over salient terms, so two articles sharing a
single uncommon term share a band or two by chance; in a warehouse of millions, every
such term would bring hundreds of stored articles to score. Same-event pairs share
many bands (6 to 78 of 128 on the SemEval dev pairs; 4 or more for 5% of random pairs),
so a floor on shared bands and a cap per article bound the work per new article
whatever the warehouse's size. Copy bands (4 rows each) rarely match by chance, so any
shared copy band makes a candidate, but only the closest few copies are compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dedupe.settings import DedupeSettings


@dataclass(frozen=True)
class BandMatch:
    """A new article and another (stored or in the same batch) sharing band keys."""

    article_id: str
    other_id: str
    index_name: str  # copy | event
    shared: int      # how many of their band keys are equal


def select_candidates(
    matches: Iterable[BandMatch], settings: DedupeSettings
) -> set[tuple[str, str]]:
    """(article_id, other_id) pairs to score. For each article: the copy matches with
    the most shared bands, at most `copy_max_candidates` (a story republished a
    thousand times needs comparing with a few of its copies, not all); and the event
    matches with the most shared bands, at least `event_min_shared_bands`, at most
    `event_max_candidates` of them."""
    best: dict[tuple[str, str], list[BandMatch]] = defaultdict(list)
    for m in matches:
        if m.index_name == "copy" or m.shared >= settings.event_min_shared_bands:
            best[(m.article_id, m.index_name)].append(m)
    caps = {"copy": settings.copy_max_candidates, "event": settings.event_max_candidates}
    pairs: set[tuple[str, str]] = set()
    for (_, index_name), found in best.items():
        found.sort(key=lambda m: (-m.shared, m.other_id))
        pairs.update((m.article_id, m.other_id) for m in found[: caps[index_name]])
    return pairs
