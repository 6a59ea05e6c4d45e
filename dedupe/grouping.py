"""Links to groups: copy groups with a canonical article, and events.

Incremental by construction: new articles are placed one at a time, in the order they
were seen, against what the warehouse already holds; stored assignments never move, so
event ids stay stable as events grow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from dedupe.records import ArticleFacts, Link, LinkKind
from extract.records import stable_id


@dataclass
class GroupState:
    """Stored assignments of the articles the new ones link to."""

    canonical_of: dict[str, str] = field(default_factory=dict)
    event_of: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Grouping:
    near_duplicates: list[tuple[str, str, float]]  # (article_id, duplicate_of, similarity)
    event_members: list[tuple[str, str]]           # (event_id, article_id)
    new_events: list[str]
    touched_events: set[str]


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


def assign_groups(
    new: list[ArticleFacts],
    links: list[Link],
    state: GroupState,
    candidates: set[tuple[str, str]] | None = None,
    min_linked_share: float = 0.0,
) -> Grouping:
    """`candidates`: every pair that was compared (linked or not), for the share rule
    (`min_linked_share` of the compared members of an event must be linked)."""
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
    near_duplicates, members, new_events, touched = [], [], [], set()

    pending = {f.article_id: f for f in new}
    while pending:
        aid = _next_to_place(pending, adjacent, event_of)
        del pending[aid]
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
            else:
                event = stable_id("event", aid)
                new_events.append(event)
        event_of[aid] = event
        members.append((event, aid))
        touched.add(event)
    return Grouping(near_duplicates, members, new_events, touched)
