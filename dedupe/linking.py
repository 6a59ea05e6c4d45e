"""A batch of new articles against the index: candidates, verified links, groups.

Pure: what the warehouse holds arrives as a `Neighbourhood`, and what should be stored
leaves as a `BatchLinks`; the flow does the reading and writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dedupe.grouping import Grouping, GroupState, assign_groups
from dedupe.lsh import candidate_pairs
from dedupe.records import ArticleFacts, Fingerprint, Link
from dedupe.scoring import Profile, profile, score_event, verify_copy
from dedupe.settings import DedupeSettings
from dedupe.terms import Analysed, TermStats, analyse


@dataclass(frozen=True)
class Neighbourhood:
    """Stored articles that share a band key with a new one, and their groups."""

    candidates: set[tuple[str, str]] = field(default_factory=set)  # (new_id, stored_id)
    stored: dict[str, ArticleFacts] = field(default_factory=dict)
    state: GroupState = field(default_factory=GroupState)


@dataclass(frozen=True)
class BatchLinks:
    links: list[Link]
    grouping: Grouping
    stats: dict[str, int]


def in_batch_candidates(fingerprints: list[Fingerprint]) -> set[tuple[str, str]]:
    pairs = candidate_pairs({fp.article_id: fp.copy_bands for fp in fingerprints})
    pairs |= candidate_pairs({fp.article_id: fp.event_bands for fp in fingerprints})
    return pairs


def link_batch(
    new: list[ArticleFacts],
    analysed: dict[str, Analysed],
    fingerprints: list[Fingerprint],
    neighbourhood: Neighbourhood,
    stats: TermStats,
    settings: DedupeSettings,
) -> BatchLinks:
    facts = {f.article_id: f for f in new} | neighbourhood.stored
    texts = dict(analysed)
    for aid, f in neighbourhood.stored.items():
        texts[aid] = analyse(f.text, f.language, f.title)

    pairs = in_batch_candidates(fingerprints) | {
        tuple(sorted(p)) for p in neighbourhood.candidates
    }
    profiles: dict[str, Profile] = {}

    def profile_of(aid: str) -> Profile:
        if aid not in profiles:
            profiles[aid] = profile(texts[aid], stats, settings)
        return profiles[aid]

    links: list[Link] = []
    n_copy = n_event = 0
    for a, b in sorted(pairs):
        pa, pb = profile_of(a), profile_of(b)
        link = verify_copy(pa, pb, (a, b), settings)
        if link is None:
            link = score_event((pa, pb), (facts[a], facts[b]), stats, settings)
            n_event += link is not None
        else:
            n_copy += 1
        if link is not None:
            links.append(link)
    grouping = assign_groups(new, links, neighbourhood.state, pairs,
                             settings.event_min_linked_share)
    counters = {
        "candidate_pairs": len(pairs),
        "copy_links": n_copy,
        "event_links": n_event,
        "copies": len(grouping.near_duplicates),
        "new_events": len(grouping.new_events),
    }
    return BatchLinks(links, grouping, counters)
