from dataclasses import replace

import numpy as np

from dedupe import DedupeSettings, GroupState, Neighbourhood, link_batch
from dedupe.linking import in_batch_matches
from dedupe.recent import ENTRY_OVERHEAD, Recent, RecentWork
from dedupe.scoring import Profile
from extract.records import stable_id
from tests.dedupe.helpers import facts, fingerprints, seed_article


def arr(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.uint32)  # n * 4 bytes


def test_least_recently_used_go_first_within_the_memory_bound():
    entry = 16 + ENTRY_OVERHEAD  # what one entry of 4 hashes costs
    recent = Recent(max_bytes=2 * entry + 10)
    recent.put("a", "text a", arr(4))
    recent.put("b", "text b", arr(4))
    assert recent.get("a", "text a") is not None  # a is now the most recent
    recent.put("c", "text c", arr(4))  # three entries do not fit: b goes
    assert recent.get("b", "text b") is None
    assert recent.get("a", "text a") is not None and recent.get("c", "text c") is not None
    assert recent.nbytes == 2 * entry
    recent.put("huge", "text", arr(100))  # over the bound alone: not kept, nothing lost
    assert recent.get("huge", "text") is None and len(recent) == 2


def test_many_short_entries_are_bounded_by_their_overhead_too():
    recent = Recent(max_bytes=100 * ENTRY_OVERHEAD)
    for i in range(1000):
        recent.put(f"a{i}", "t", np.empty(0, dtype=np.uint32))
    assert len(recent) == 100


def test_an_entry_holds_for_the_text_it_was_made_from_only():
    recent = Recent()
    recent.put("a", "old text", arr(3))
    assert recent.get("a", "new text") is None
    recent.put("a", "new text", arr(5))
    assert len(recent.get("a", "new text")) == 5 and recent.nbytes == 20 + ENTRY_OVERHEAD


def test_a_batch_leaves_its_shingles_and_a_later_one_finds_the_same_copies_with_them():
    """Batch 1 stores the original; batch 2 holds a copy of it. With the run's recent
    shingles the copy is found as without them, and the stored original's shingles
    were not made again."""
    original, other = seed_article("001"), seed_article("002")
    copy = replace(original, article_id=stable_id("copy"),
                   text="Home | World | Sport\n\n" + original.text)
    analysed, stats, fps = fingerprints([original, other, copy])
    settings = DedupeSettings()
    recent = RecentWork()
    first = link_batch([facts(original), facts(other)],
                       {a.article_id: analysed[a.article_id] for a in (original, other)},
                       fps[:2], Neighbourhood(), stats, settings, recent)
    assert first.links == []
    fresh = Profile(analysed[original.article_id], stats, settings).shingles
    assert np.array_equal(recent.shingles.get(original.article_id, original.text), fresh)

    stored = {a.article_id: facts(a) for a in (original, other)}
    neighbourhood = Neighbourhood(
        matches=[m for m in in_batch_matches(fps) if m.article_id == copy.article_id],
        stored=stored,
        state=GroupState(canonical_of={a: a for a in stored}, event_of=dict.fromkeys(stored, "E")),
    )
    args = ([facts(copy)], {copy.article_id: analysed[copy.article_id]}, [fps[2]],
            neighbourhood, stats, settings)
    without = link_batch(*args)
    made_before = recent.shingles.get(original.article_id, original.text)
    with_recent = link_batch(*args, recent)
    assert with_recent.links == without.links
    assert [lk.kind.value for lk in with_recent.links] == ["copy"]
    assert recent.shingles.get(original.article_id, original.text) is made_before  # not remade
    assert recent.shingles.get(copy.article_id, copy.text) is not None


def test_a_stored_article_scored_as_an_event_uses_the_grams_an_earlier_batch_made():
    """Batch 1 stores two reports of the summit (000) and another story (002); batch 2
    holds a third report of the summit (004). Its event links come out the same with
    the run's recent grams as without them, and the stored reports' grams are those
    batch 1 made, not made again; grams made with another title are not used."""
    first_report, other, third = seed_article("000"), seed_article("002"), seed_article("004")
    analysed, stats, fps = fingerprints([first_report, other, third])
    settings = DedupeSettings()
    recent = RecentWork()
    link_batch([facts(first_report), facts(other)],
               {a.article_id: analysed[a.article_id] for a in (first_report, other)},
               fps[:2], Neighbourhood(), stats, settings, recent)
    key = (first_report.text, first_report.title, first_report.language)
    made_before = recent.grams.get(first_report.article_id, key)
    assert made_before is not None
    assert recent.grams.get(first_report.article_id, (first_report.text, "Another title",
                                                      first_report.language)) is None

    stored = {a.article_id: facts(a) for a in (first_report, other)}
    neighbourhood = Neighbourhood(
        matches=[m for m in in_batch_matches(fps) if m.article_id == third.article_id],
        stored=stored,
        state=GroupState(canonical_of={a: a for a in stored},
                         event_of={first_report.article_id: "E1", other.article_id: "E2"}),
    )
    args = ([facts(third)], {third.article_id: analysed[third.article_id]}, [fps[2]],
            neighbourhood, stats, settings)
    without = link_batch(*args)
    with_recent = link_batch(*args, recent)
    assert with_recent.links == without.links
    # A link's sides are in id order, and ids come from the seeds' paths.
    assert [(lk.kind.value, {lk.article_id, lk.other_id}) for lk in with_recent.links] == [
        ("event", {first_report.article_id, third.article_id})]
    assert recent.grams.get(first_report.article_id, key) is made_before  # used, not remade
