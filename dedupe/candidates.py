"""Which band matches are worth scoring: the cap that keeps linking sublinear.

Event bands are single MinHash rows over salient terms, so two articles sharing a
single uncommon term share a band or two by chance; in a warehouse of millions, every
such term would bring hundreds of stored articles to score. Same-event pairs share
many bands (6 to 78 of 128 on the SemEval dev pairs; 4 or more for 5% of random pairs),
so a floor on shared bands and a cap per article bound the work per new article
whatever the warehouse's size. Copy bands (4 rows each) rarely match by chance: every
match is kept.
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
    """(article_id, other_id) pairs to score: every copy match, and for each article
    the event matches with the most shared bands, at least `event_min_shared_bands`,
    at most `event_max_candidates` of them."""
    pairs: set[tuple[str, str]] = set()
    events: dict[str, list[BandMatch]] = defaultdict(list)
    for m in matches:
        if m.index_name == "copy":
            pairs.add((m.article_id, m.other_id))
        elif m.shared >= settings.event_min_shared_bands:
            events[m.article_id].append(m)
    for found in events.values():
        found.sort(key=lambda m: (-m.shared, m.other_id))
        pairs.update((m.article_id, m.other_id) for m in found[: settings.event_max_candidates])
    return pairs
