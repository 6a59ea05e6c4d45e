"""A batch of new articles against the index: candidates, verified links, groups.

Pure: what the warehouse holds arrives as a `Neighbourhood`, and what should be stored
leaves as a `BatchLinks`; the flow does the reading and writing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dedupe.candidates import BandMatch, select_candidates
from dedupe.grouping import Grouping, GroupState, assign_groups
from dedupe.lsh import shared_band_counts
from dedupe.recent import RecentWork
from dedupe.records import ArticleFacts, Fingerprint, Link
from dedupe.scoring import Profile, score_event, verify_copy
from dedupe.settings import DedupeSettings
from dedupe.terms import Analysed, TermStats, analyse


@dataclass(frozen=True)
class Neighbourhood:
    """Band matches of the batch against stored articles, the stored articles chosen
    from them (`choose_candidates`), and their groups. `pairs`: what
    `choose_candidates` returned for these matches, when the caller has it already
    (it chose the stored articles to read by it), so that it is not done twice."""

    matches: list[BandMatch] = field(default_factory=list)  # new article -> stored one
    stored: dict[str, ArticleFacts] = field(default_factory=dict)
    state: GroupState = field(default_factory=GroupState)
    pairs: set[tuple[str, str]] | None = None


@dataclass(frozen=True)
class BatchLinks:
    links: list[Link]
    grouping: Grouping
    stats: dict[str, int]


def in_batch_matches(fingerprints: list[Fingerprint]) -> list[BandMatch]:
    """Band matches between the batch's own articles, each pair seen from both sides."""
    matches = []
    for index_name in ("copy", "event"):
        counts = shared_band_counts({fp.article_id: getattr(fp, f"{index_name}_bands")
                                     for fp in fingerprints})
        for (a, b), n in counts.items():
            matches += [BandMatch(a, b, index_name, n), BandMatch(b, a, index_name, n)]
    return matches


def choose_candidates(
    fingerprints: list[Fingerprint], stored_matches: list[BandMatch], settings: DedupeSettings
) -> set[tuple[str, str]]:
    """The pairs (sorted) a batch scores, among its own articles and against stored
    ones. The flow calls this first to read only the stored articles chosen."""
    chosen = select_candidates(in_batch_matches(fingerprints) + stored_matches, settings)
    return {(a, b) if a < b else (b, a) for a, b in chosen}


def scored_by_neighbour(
    pairs: set[tuple[str, str]], new_ids: set[str], profiles: dict[str, Profile],
    score: Callable[[str, str], Link | None],
    dropped: Callable[[str, Profile], None] | None = None,
) -> dict[tuple[str, str], Link | None]:
    """`score` of each pair, taken stored neighbour by stored neighbour, each stored
    article's profile dropped after its last pair. A batch compares its 200 articles
    with a few thousand stored ones, and their profiles (grams, TF-IDF vectors,
    shingles) all kept at once were 300 MB of the flow process's peak; the batch's own
    profiles stay, as most pairs use them. `dropped` is told of each profile dropped."""
    def neighbour(pair: tuple[str, str]) -> str:
        return next((x for x in pair if x not in new_ids), "")

    order = sorted(pairs, key=lambda pair: (neighbour(pair), pair))
    last = {neighbour(pair): i for i, pair in enumerate(order)}
    scored = {}
    for i, pair in enumerate(order):
        scored[pair] = score(*pair)
        if (stored := neighbour(pair)) and last[stored] == i:
            gone = profiles.pop(stored, None)
            if gone is not None and dropped is not None:
                dropped(stored, gone)
    return scored


def grams_made_of(f: ArticleFacts) -> tuple:
    """What an article's grams are made of: its body, its title and the stop words of
    its language."""
    return f.text, f.title, f.language


def link_batch(
    new: list[ArticleFacts],
    analysed: dict[str, Analysed],
    fingerprints: list[Fingerprint],
    neighbourhood: Neighbourhood,
    stats: TermStats,
    settings: DedupeSettings,
    recent: RecentWork | None = None,
) -> BatchLinks:
    """Candidates of the batch scored and grouped. `recent`: shingles and grams of
    articles linked before (a run's earlier batches), used for stored candidates and
    given the batch's own for the batches after."""
    facts = {f.article_id: f for f in new} | neighbourhood.stored
    pairs = neighbourhood.pairs
    if pairs is None:
        pairs = choose_candidates(fingerprints, neighbourhood.matches, settings)
    profiles: dict[str, Profile] = {}

    def profile_of(aid: str) -> Profile:
        if aid not in profiles:
            f = facts[aid]
            if aid in analysed:
                profiles[aid] = Profile(analysed[aid], stats, settings)
            elif recent is not None:  # a stored article: analysed only if need be
                profiles[aid] = Profile(
                    lambda: analyse(f.text, f.language, f.title), stats, settings,
                    shingles=recent.shingles.get(aid, f.text),
                    grams=recent.grams.get(aid, grams_made_of(f)))
            else:
                profiles[aid] = Profile(lambda: analyse(f.text, f.language, f.title), stats,
                                        settings)
        return profiles[aid]

    def keep(aid: str, gone: Profile) -> None:
        """What was made of a stored article for this batch, kept for the next ones."""
        if recent is None:
            return
        if (shingles := gone.shingles_if_made) is not None:
            recent.shingles.put(aid, facts[aid].text, shingles)
        if (grams := gone.grams_if_made) is not None:
            recent.grams.put(aid, grams_made_of(facts[aid]), grams)

    new_ids = {f.article_id for f in new}
    copy_of = scored_by_neighbour(
        pairs, new_ids, profiles,
        lambda a, b: verify_copy(profile_of(a), profile_of(b), (a, b), settings),
        keep)
    copies = [link for pair in sorted(pairs) if (link := copy_of[pair])]
    # A new article that copies a stored one joins that one's event whatever else it
    # is like (assign_groups), so its likeness to other stored articles is never
    # asked: most of a crawl of republished stories is such copies, and this was most
    # of the scoring. (Pairs with the batch's own articles are still scored: those
    # links can place the other article.)
    copies_stored = {x for lk in copies for x, y in ((lk.article_id, lk.other_id),
                                                     (lk.other_id, lk.article_id))
                     if x in new_ids and y not in new_ids}
    copied = {(lk.article_id, lk.other_id) for lk in copies}
    to_score = {(a, b) for a, b in pairs - copied
                if not ((a in copies_stored and b not in new_ids)
                        or (b in copies_stored and a not in new_ids))}
    skipped = len(pairs - copied) - len(to_score)
    event_of = scored_by_neighbour(
        to_score, new_ids, profiles,
        lambda a, b: score_event((profile_of(a), profile_of(b)), (facts[a], facts[b]),
                                 settings))
    events = [link for pair in sorted(to_score) if (link := event_of[pair])]
    links = copies + events
    n_copy, n_event = len(copies), len(events)
    linked = {(lk.article_id, lk.other_id) for lk in links}

    def confirmed(a: str, b: str) -> bool:
        """Two articles linked, by a link of the batch or scored now (the merge check
        asks about pairs of stored articles, which the batch never compared)."""
        if (a, b) in linked or (b, a) in linked:
            return True
        if a == b:
            return True
        pa, pb = profile_of(a), profile_of(b)
        return (verify_copy(pa, pb, (a, b), settings) is not None or score_event(
            (pa, pb), (facts[a], facts[b]), settings) is not None)

    if recent is not None:
        for f in new:
            p = profile_of(f.article_id)
            recent.shingles.put(f.article_id, f.text, p.shingles)
            recent.grams.put(f.article_id, grams_made_of(f), p.grams)
    grouping = assign_groups(new, links, neighbourhood.state, pairs,
                             settings.event_min_linked_share, settings.event_merge_min_ratio,
                             confirmed)
    counters = {
        "candidate_pairs": len(pairs),
        "event_pairs_of_copies_skipped": skipped,
        "copy_links": n_copy,
        "event_links": n_event,
        "copies": len(grouping.near_duplicates),
        "new_events": len(grouping.new_events),
        "merged_events": len(grouping.merges),
    }
    return BatchLinks(links, grouping, counters)
