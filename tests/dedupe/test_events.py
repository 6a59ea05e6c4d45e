from datetime import datetime

from dedupe import GroupState, Link, LinkKind, Neighbourhood, assign_groups, link_batch
from dedupe.records import ArticleFacts
from tests.dedupe.helpers import facts, fingerprints, seed_article

SEEDS = ["000", "001", "002", "003", "004"]


def group_seeds(prefixes):
    articles = [seed_article(p) for p in prefixes]
    analysed, stats, fps = fingerprints(articles)
    from dedupe import DedupeSettings

    result = link_batch([facts(a) for a in articles], analysed, fps, Neighbourhood(), stats,
                        DedupeSettings())
    event_of = {aid: e for e, aid in result.grouping.event_members}
    by_prefix = {p: event_of[a.article_id] for p, a in zip(prefixes, articles, strict=True)}
    return by_prefix, result


def test_seed_events_000_001_004_together_002_003_apart():
    event, result = group_seeds(SEEDS)
    assert event["000"] == event["001"] == event["004"]
    assert len({event["000"], event["002"], event["003"]}) == 3
    assert result.grouping.near_duplicates == []


def test_seed_grouping_does_not_depend_on_input_order():
    forward, _ = group_seeds(SEEDS)
    backward, _ = group_seeds(list(reversed(SEEDS)))
    same = lambda ev: {frozenset(p for p in SEEDS if ev[p] == e) for e in ev.values()}  # noqa: E731
    assert same(forward) == same(backward)


def test_event_links_carry_evidence_of_the_shared_quote():
    _, result = group_seeds(["001", "004"])
    [link] = [lk for lk in result.links if lk.kind is LinkKind.EVENT]
    # the treaty's clause, which 001 quotes: «…المساعدة المتبادلة في حالة العدوان…»
    quoted = " ".join(link.evidence["quoted_passages"])
    assert "المتبادله في حاله العدوان" in quoted  # "mutual assistance in case of aggression"
    assert link.evidence["cosine"] > 0


def _facts(aid, seen):
    return ArticleFacts(aid, "text", None, None, None, seen)


def test_new_article_joins_the_stored_event_and_copies_point_to_the_canonical():
    t = datetime(2024, 1, 1)
    state = GroupState(canonical_of={"old": "old", "old-copy": "old"},
                       event_of={"old": "E1", "old-copy": "E1", "other": "E2"})
    links = [
        Link("new-event", "old", LinkKind.EVENT, 0.4),
        Link("new-copy", "old-copy", LinkKind.COPY, 0.95),
    ]
    g = assign_groups([_facts("new-event", t), _facts("new-copy", t)], links, state)
    assert dict((a, e) for e, a in g.event_members) == {"new-event": "E1", "new-copy": "E1"}
    assert g.near_duplicates == [("new-copy", "old", 0.95)]
    assert g.new_events == [] and g.touched_events == {"E1"}


def test_unlinked_article_gets_its_own_event():
    g = assign_groups([_facts("lonely", datetime(2024, 1, 1))], [], GroupState())
    assert len(g.new_events) == 1 and g.event_members == [(g.new_events[0], "lonely")]


def test_in_batch_copies_point_to_the_earliest_seen_then_longest():
    early, late = datetime(2024, 1, 1), datetime(2024, 1, 2)
    new = [ArticleFacts("late", "x" * 500, None, None, None, late),
           ArticleFacts("short", "x" * 100, None, None, None, early),
           ArticleFacts("long", "x" * 900, None, None, None, early)]
    links = [Link("late", "long", LinkKind.COPY, 0.9), Link("short", "long", LinkKind.COPY, 0.9),
             Link("late", "short", LinkKind.COPY, 0.9)]
    g = assign_groups(new, links, GroupState())
    assert sorted(g.near_duplicates) == [("late", "long", 0.9), ("short", "long", 0.9)]


def test_one_generic_link_to_a_large_event_does_not_chain_a_story_into_it():
    t = datetime(2024, 1, 1)
    members = [f"m{i}" for i in range(10)]
    state = GroupState(canonical_of={m: m for m in members}, event_of=dict.fromkeys(members, "E"))
    # The new article was compared with all ten members (they share a common term)...
    compared = {("new", m) for m in members}
    # ...but only one comparison was close enough to link.
    one_link = [Link("new", "m0", LinkKind.EVENT, 0.4)]
    g = assign_groups([_facts("new", t)], one_link, state, compared, min_linked_share=0.2)
    assert g.new_events and g.event_members == [(g.new_events[0], "new")]

    # Linked to a fifth of them, it belongs to the event.
    three_links = [Link("new", m, LinkKind.EVENT, 0.4) for m in members[:3]]
    g = assign_groups([_facts("new", t)], three_links, state, compared, min_linked_share=0.2)
    assert g.event_members == [("E", "new")] and not g.new_events

    # Without the rule (share 0), the one link was enough: the chaining it prevents.
    g = assign_groups([_facts("new", t)], one_link, state, compared, min_linked_share=0.0)
    assert g.event_members == [("E", "new")]


def test_a_copy_joins_its_original_whatever_the_share():
    t = datetime(2024, 1, 1)
    members = [f"m{i}" for i in range(10)]
    state = GroupState(canonical_of={m: m for m in members}, event_of=dict.fromkeys(members, "E"))
    compared = {("new", m) for m in members}
    g = assign_groups([_facts("new", t)], [Link("new", "m3", LinkKind.COPY, 0.97)], state,
                      compared, min_linked_share=0.2)
    assert g.event_members == [("E", "new")] and g.near_duplicates == [("new", "m3", 0.97)]


def test_an_article_linking_two_events_merges_them_into_the_older_one():
    t = datetime(2024, 1, 1)
    state = GroupState(
        canonical_of={"a1": "a1", "a2": "a2", "b1": "b1"},
        event_of={"a1": "A", "a2": "A", "b1": "B"},
        event_since={"A": datetime(2024, 1, 2), "B": datetime(2023, 12, 31)},
    )
    compared = {("new", "a1"), ("new", "a2"), ("new", "b1")}
    links = [Link("new", "a1", LinkKind.EVENT, 0.5), Link("new", "a2", LinkKind.EVENT, 0.4),
             Link("new", "b1", LinkKind.EVENT, 0.6)]
    g = assign_groups([_facts("new", t)], links, state, compared, min_linked_share=0.2,
                      merge_min_ratio=0.5, linked=lambda a, b: True)
    # B began first, so B's id survives although A is the larger event.
    assert g.event_members == [("B", "new")]
    [merge] = g.merges
    assert (merge.event_id, merge.survivor_id, merge.article_id) == ("A", "B", "new")
    assert merge.scores == {"A": 0.9, "B": 0.6}
    assert g.touched_events == {"B"} and g.new_events == []

    # Without merging, the article only joins the stronger event...
    g = assign_groups([_facts("new", t)], links, state, compared, min_linked_share=0.2)
    assert g.event_members == [("A", "new")] and g.merges == []
    # ...as when the two events' own members do not link: the article alone is a chain.
    asked = []
    g = assign_groups([_facts("new", t)], links, state, compared, min_linked_share=0.2,
                      merge_min_ratio=0.5, linked=lambda a, b: asked.append((a, b)) and False)
    assert g.event_members == [("A", "new")] and g.merges == []
    assert asked and all({a[0], b[0]} == {"a", "b"} for a, b in asked)


def test_a_weak_second_link_or_an_unsupported_event_does_not_merge():
    t = datetime(2024, 1, 1)
    members = [f"b{i}" for i in range(10)]
    state = GroupState(
        canonical_of={m: m for m in ["a1", *members]},
        event_of={"a1": "A", **dict.fromkeys(members, "B")},
        event_since={"A": t, "B": t},
    )
    # Linked to one of B's ten compared members: B does not take it, so no merge.
    compared = {("new", m) for m in ["a1", *members]}
    links = [Link("new", "a1", LinkKind.EVENT, 0.5), Link("new", "b0", LinkKind.EVENT, 0.5)]
    g = assign_groups([_facts("new", t)], links, state, compared, 0.2, merge_min_ratio=0.5,
                      linked=lambda a, b: True)
    assert g.event_members == [("A", "new")] and g.merges == []
    # A second event far weaker than the first (0.3 < 0.5 x 0.9) is not merged either.
    state = GroupState(canonical_of={"a1": "a1", "a2": "a2", "c1": "c1"},
                       event_of={"a1": "A", "a2": "A", "c1": "C"})
    links = [Link("new", "a1", LinkKind.EVENT, 0.45), Link("new", "a2", LinkKind.EVENT, 0.45),
             Link("new", "c1", LinkKind.EVENT, 0.3)]
    g = assign_groups([_facts("new", t)], links, state, None, 0.2, merge_min_ratio=0.5,
                      linked=lambda a, b: True)
    assert g.event_members == [("A", "new")] and g.merges == []


def test_an_event_made_and_merged_in_one_batch_leaves_no_trace():
    t = datetime(2024, 1, 1)
    members = [f"m{i}" for i in range(10)]
    state = GroupState(
        canonical_of={m: m for m in ["s", *members]},
        event_of={"s": "S", **dict.fromkeys(members, "E")},
        event_since={"S": datetime(2023, 1, 1), "E": datetime(2023, 1, 1)},
    )
    # x is placed first (its strong link to m0) but E does not take it (one link of
    # ten compared): x starts an event of its own. Then the bridge links x to S.
    compared = {("x", m) for m in members} | {("bridge", "x"), ("bridge", "s")}
    links = [Link("x", "m0", LinkKind.EVENT, 0.9), Link("bridge", "x", LinkKind.EVENT, 0.5),
             Link("bridge", "s", LinkKind.EVENT, 0.5)]
    g = assign_groups([_facts("x", t), _facts("bridge", t)], links, state, compared, 0.2,
                      merge_min_ratio=0.5, linked=lambda a, b: True)
    assert sorted(g.event_members) == [("S", "bridge"), ("S", "x")]
    # x's event never reached the warehouse: nothing to record, nothing created.
    assert g.merges == [] and g.new_events == [] and g.touched_events == {"S"}


def test_a_seed_linking_two_stored_events_of_one_story_merges_them():
    """000 and 004 stored apart (as if their link had been missed); 001 links to both,
    and 000 and 004 do link when asked, so the two events become one: 000's, older."""
    from dedupe import DedupeSettings
    from dedupe.linking import in_batch_matches

    old, newer, bridge = (seed_article(p) for p in ("000", "004", "001"))
    analysed, stats, fps = fingerprints([old, newer, bridge])
    stored = {a.article_id: facts(a) for a in (old, newer)}
    neighbourhood = Neighbourhood(
        matches=[m for m in in_batch_matches(fps) if m.article_id == bridge.article_id],
        stored=stored,
        state=GroupState(
            canonical_of={a: a for a in stored},
            event_of={old.article_id: "E-old", newer.article_id: "E-new"},
            event_since={"E-old": datetime(2024, 6, 18), "E-new": datetime(2024, 6, 20)}),
    )
    on = DedupeSettings(event_merge_min_ratio=0.5)
    result = link_batch([facts(bridge)], {bridge.article_id: analysed[bridge.article_id]},
                        [fps[2]], neighbourhood, stats, on)
    [merge] = result.grouping.merges
    assert (merge.event_id, merge.survivor_id) == ("E-new", "E-old")
    assert result.grouping.event_members == [("E-old", bridge.article_id)]

    off = link_batch([facts(bridge)], {bridge.article_id: analysed[bridge.article_id]},
                     [fps[2]], neighbourhood, stats, DedupeSettings())
    assert off.grouping.merges == [] and len(off.grouping.event_members) == 1


def test_a_copy_of_a_stored_article_is_not_scored_against_other_stored_ones():
    """Its event is its original's; scoring it against the original's neighbours
    would be work whose answer is never used (most of a crawl of republished news)."""
    from dataclasses import replace

    from dedupe import DedupeSettings
    from dedupe.linking import in_batch_matches
    from extract.records import stable_id

    original, neighbour = seed_article("001"), seed_article("000")
    copy = replace(original, article_id=stable_id("copy"),
                   text="Home | World | Sport\n\n" + original.text)
    analysed, stats, fps = fingerprints([copy, original, neighbour])
    stored = {a.article_id: facts(a) for a in (original, neighbour)}
    neighbourhood = Neighbourhood(
        matches=[m for m in in_batch_matches(fps) if m.article_id == copy.article_id],
        stored=stored,
        state=GroupState(canonical_of={a: a for a in stored}, event_of=dict.fromkeys(stored, "E")),
    )
    result = link_batch([facts(copy)], {copy.article_id: analysed[copy.article_id]}, [fps[0]],
                        neighbourhood, stats, DedupeSettings())
    # A link's two ids are in id order, and the seeds' ids come from their paths.
    assert {(frozenset((lk.article_id, lk.other_id)), lk.kind) for lk in result.links} == {
        (frozenset((copy.article_id, original.article_id)), LinkKind.COPY)}
    assert result.stats["event_pairs_of_copies_skipped"] == 1
    assert result.grouping.near_duplicates[0][:2] == (copy.article_id, original.article_id)
    assert result.grouping.event_members == [("E", copy.article_id)]
    # The same article as a new one, not a copy of anything stored: scored as before.
    alone = Neighbourhood(
        matches=[m for m in in_batch_matches(fps) if m.article_id == copy.article_id
                 and m.other_id == neighbour.article_id],
        stored={neighbour.article_id: stored[neighbour.article_id]},
        state=GroupState(canonical_of={neighbour.article_id: neighbour.article_id},
                         event_of={neighbour.article_id: "E"}),
    )
    result = link_batch([facts(copy)], {copy.article_id: analysed[copy.article_id]}, [fps[0]],
                        alone, stats, DedupeSettings())
    assert [lk.kind for lk in result.links] == [LinkKind.EVENT]


def test_a_stored_neighbours_profile_is_dropped_after_its_last_pair_and_answers_keep():
    """A batch compares its articles with thousands of stored ones; holding all their
    profiles at once was most of the flow process's peak memory."""
    from dedupe.linking import scored_by_neighbour

    new_ids = {"n1", "n2"}
    pairs = {("n1", "s1"), ("n2", "s1"), ("n1", "s2"), ("n1", "n2"), ("s3", "n2")}
    profiles: dict = {}
    held_when_scored = []

    def score(a, b):
        for x in (a, b):
            profiles.setdefault(x, object())
        held_when_scored.append(sorted(x for x in profiles if x not in new_ids))
        return f"{a}-{b}"

    scored = scored_by_neighbour(pairs, new_ids, profiles, score)
    assert scored == {pair: f"{pair[0]}-{pair[1]}" for pair in pairs}
    # Never more than one stored profile at a time, none left at the end; new ones kept.
    assert max(len(held) for held in held_when_scored) == 1
    assert set(profiles) == new_ids


def test_two_headlines_sharing_one_word_are_not_an_event():
    """Between short texts the gram cosine passes on one shared word; two are needed."""
    from dedupe import DedupeSettings, TermStats, analyse
    from dedupe.scoring import Profile, score_event

    heads = {
        "tor": "Four questions about Tor",
        "asked": "Regulators send questions to carmaker",
        "answered": "Carmaker answers regulators on recall",
    }
    others = ["Stocks close higher on bank earnings", "Singer announces world tour dates",
              "Storm brings snow to the northeast", "Team wins title in overtime thriller"]
    analysed = {k: analyse(t, "en", t) for k, t in heads.items()}
    stats = TermStats().plus([a.terms for a in analysed.values()]
                             + [analyse(t, "en", t).terms for t in others])
    settings = DedupeSettings()
    profiles = {k: Profile(a, stats, settings) for k, a in analysed.items()}
    t = datetime(2024, 1, 1)
    facts_of = {k: ArticleFacts(k, h, h, None, t, t, "en") for k, h in heads.items()}

    def link(a, b):
        return score_event((profiles[a], profiles[b]), (facts_of[a], facts_of[b]), settings)

    # "questions" alone: the cosine is above the strong threshold, and still no link
    assert profiles["tor"].vector.dot(profiles["asked"].vector) >= settings.event_strong_cosine
    assert link("tor", "asked") is None
    # "regulators" and "carmaker": a link, with both words in its evidence
    linked = link("asked", "answered")
    assert linked is not None
    assert {"regulators", "carmaker"} <= set(linked.evidence["shared_terms"])
