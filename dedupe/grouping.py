"""Links to groups: copy groups with a canonical article, and events.

Incremental by construction: new articles are placed one at a time, in the order they
were seen, against what the warehouse already holds; stored assignments never move, so
event ids stay stable as events grow. The one exception is a merge: when a new article
belongs to two events at once (it links well to both), they become one, and the older
event's id survives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dedupe.records import ArticleFacts, Link, LinkKind
from extract.records import stable_id


@dataclass
class GroupState:
    """Stored assignments of the articles the new ones link to."""

    canonical_of: dict[str, str] = field(default_factory=dict)
    event_of: dict[str, str] = field(default_factory=dict)
    # When each of those events began (its earliest member): of two merging events, the
    # older one's id survives, so the id users have known longest stays valid.
    event_since: dict[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class EventMerge:
    """A stored event absorbed into another: its members now belong to `survivor_id`."""

    event_id: str
    survivor_id: str
    article_id: str  # the new article that links to both
    scores: dict[str, float]  # each event's summed link score from that article


@dataclass(frozen=True)
class Grouping:
    near_duplicates: list[tuple[str, str, float]]  # (article_id, duplicate_of, similarity)
    event_members: list[tuple[str, str]]           # (event_id, article_id)
    new_events: list[str]
    touched_events: set[str]
    merges: list[EventMerge] = field(default_factory=list)


def _since(f: ArticleFacts) -> datetime:
    return (f.published_at or f.seen_at).replace(tzinfo=None)


def placement_order(facts: list[ArticleFacts]) -> list[ArticleFacts]:
    """Earliest seen first, then the longest: the rule that picks canonical articles."""
    return sorted(facts, key=lambda f: (f.seen_at, -len(f.text), f.article_id))


def _next_to_place(
    pending: dict[str, ArticleFacts], adjacent: dict[str, list[Link]], event_of: dict[str, str]
) -> str:
    """The pending article most strongly linked to what is placed already; failing any,
    the earliest seen. Placing in this order makes a batch group as it would have if
    its articles had arrived one by one along their links."""
    best, best_weight = None, 0.0
    for aid in pending:
        weight = sum(lk.score for lk in adjacent[aid] if lk.other_id in event_of)
        if weight > best_weight:
            best, best_weight = aid, weight
    if best is not None:
        return best
    return placement_order(list(pending.values()))[0].article_id


def _supported(
    aid: str, event: str, placed: list[Link], compared: set[str], event_of: dict[str, str],
    min_share: float,
) -> bool:
    """An event takes an article only if the article links to a good share of the
    event's members it was compared with: one generic link to one member of a large
    event (a shared name, a stock phrase) must not chain two stories together."""
    members = {o for o in compared if event_of.get(o) == event}
    linked = {lk.other_id for lk in placed if event_of[lk.other_id] == event}
    return len(linked) >= min_share * max(len(members), len(linked))


def _members_agree(
    ours: list[str], theirs: list[str], linked: Callable[[str, str], bool] | None,
    sample: int = 3,
) -> bool:
    """Whether the two events' own members link to each other: every pair of up to
    `sample` members of each (those closest to the new article first). An article
    close to two stories is often a generic one (a market wrap, a roundup): two events
    are one only when their members agree, not through a chain of one article."""
    if linked is None:
        return False
    return all(linked(a, b) for a in ours[:sample] for b in theirs[:sample])


def _events_to_merge(
    best: str, weight: dict[str, float], placed: list[Link], compared: set[str],
    event_of: dict[str, str], min_ratio: float, linked: Callable[[str, str], bool] | None,
) -> list[str]:
    """The events an article joins at once (the best one among them): those linked
    nearly as strongly as the best, whose members agree with the best one's."""
    score = {lk.other_id: lk.score for lk in placed}
    near = {e: sorted((o for o in compared | set(score) if event_of.get(o) == e),
                      key=lambda o: (-score.get(o, 0.0), o))
            for e in weight}
    return sorted(e for e, w in weight.items() if e == best or (
        w >= min_ratio * weight[best] and _members_agree(near[best], near[e], linked)))


def assign_groups(
    new: list[ArticleFacts],
    links: list[Link],
    state: GroupState,
    candidates: set[tuple[str, str]] | None = None,
    min_linked_share: float = 0.0,
    merge_min_ratio: float | None = None,
    linked: Callable[[str, str], bool] | None = None,
) -> Grouping:
    """`candidates`: every pair that was compared (linked or not), for the share rule
    (`min_linked_share` of the compared members of an event must be linked).
    `merge_min_ratio`: an article that passes the share rule for several events merges
    those whose link score is at least this share of the best one's and whose members
    agree (`linked(a, b)`: whether two articles link); None: no merges."""
    compared: dict[str, set[str]] = defaultdict(set)
    for a, b in candidates or ():
        compared[a].add(b)
        compared[b].add(a)
    adjacent: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        adjacent[link.article_id].append(link)
        adjacent[link.other_id].append(
            Link(link.other_id, link.article_id, link.kind, link.score, link.evidence)
        )
    canonical_of = dict(state.canonical_of)
    event_of = dict(state.event_of)
    since = dict(state.event_since)
    stored_events = set(event_of.values())
    merged_into: dict[str, str] = {}
    merges: list[EventMerge] = []
    near_duplicates, members, new_events, touched = [], [], [], set()

    def merge(events: list[str], aid: str, weight: dict[str, float]) -> str:
        survivor = min(events, key=lambda e: (since.get(e, datetime.max), e))
        for e in events:
            if e == survivor:
                continue
            merged_into[e] = survivor
            since[survivor] = min(since.get(survivor, datetime.max), since.get(e, datetime.max))
            for other, ev in event_of.items():
                if ev == e:
                    event_of[other] = survivor
            touched.discard(e)
            if e in stored_events:
                merges.append(EventMerge(e, survivor, aid, {
                    e: weight[e], survivor: weight[survivor]}))
            else:
                new_events.remove(e)  # made by this batch: nobody has seen its id yet
        return survivor

    pending = {f.article_id: f for f in new}
    while pending:
        aid = _next_to_place(pending, adjacent, event_of)
        f = pending.pop(aid)
        placed = [lk for lk in adjacent[aid] if lk.other_id in event_of]
        copies = [lk for lk in placed if lk.kind is LinkKind.COPY]
        if copies:
            best = max(copies, key=lambda lk: (lk.score, lk.other_id))
            canonical = canonical_of.get(best.other_id, best.other_id)
            canonical_of[aid] = canonical
            near_duplicates.append((aid, canonical, best.score))
            event = event_of[best.other_id]
        else:
            canonical_of[aid] = aid
            weight: dict[str, float] = defaultdict(float)
            for lk in placed:
                weight[event_of[lk.other_id]] += lk.score
            if min_linked_share > 0:
                weight = {e: w for e, w in weight.items() if _supported(
                    aid, e, placed, compared[aid], event_of, min_linked_share)}
            if weight:
                event = max(weight, key=lambda e: (weight[e], e))
                if merge_min_ratio is not None:
                    joined = _events_to_merge(event, weight, placed, compared[aid], event_of,
                                              merge_min_ratio, linked)
                    if len(joined) > 1:
                        event = merge(joined, aid, weight)
            else:
                event = stable_id("event", aid)
                new_events.append(event)
                since[event] = _since(f)
        event_of[aid] = event
        members.append((event, aid))
        touched.add(event)

    def resolve(e: str) -> str:
        while e in merged_into:
            e = merged_into[e]
        return e

    members = [(resolve(e), aid) for e, aid in members]
    merges = [EventMerge(m.event_id, resolve(m.survivor_id), m.article_id, m.scores)
              for m in merges]
    return Grouping(near_duplicates, members, new_events, {resolve(e) for e in touched},
                    merges)
