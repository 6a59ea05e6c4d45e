"""The band lookup: which stored articles a new one is scored against."""

from dataclasses import replace

import numpy as np

from dedupe import DedupeSettings, Fingerprint
from extract.records import stable_id
from warehouse import BatchWrite, connect, reads, writes

SETTINGS = DedupeSettings(event_min_shared_bands=3, event_max_candidates=2,
                          copy_max_candidates=2, event_max_bucket=4)


def fp(name: str, copy_bands: list[int], event_bands: list[int],
       day: int | None = None) -> Fingerprint:
    sig = np.zeros(128, np.uint32)
    return Fingerprint(stable_id(name), sig, 1, sig, (), np.array(copy_bands, np.int64),
                       np.array(event_bands, np.int64), day)


def stored_warehouse(tmp_path, fingerprints):
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        writes.start_run(con, "r", None, ["test"])
        writes.write_batch(con, BatchWrite("r", [], fingerprints), 128, 1)
    return db


def masked_as_expanded(db, batch, settings):
    """The batch's matches looked up with the buckets masked off, checked to be those
    the lookup in every bucket finds."""
    with connect(db, read_only=True) as con:
        expanded = reads.band_matches(con, batch, settings)
        masked = reads.band_matches(con, batch, settings, max_expanded_keys=0)

    def key(m):
        return (m.article_id, m.other_id, m.index_name, m.shared)
    assert sorted(map(key, masked)) == sorted(map(key, expanded))
    return masked


def test_floor_cap_and_generic_keys(tmp_path):
    generic = 999  # shared by five stored articles: over the bucket limit of four
    stored = [
        fp("near", [1, 2], [10, 11, 12, 13, generic]),   # 4 event bands, 2 copy bands
        fp("nearer", [1], [10, 11, 12, 13, 14, generic]),  # 5 event bands
        fp("third", [1], [10, 11, 12, generic]),          # 3 event bands
        fp("two", [], [10, 11, generic]),                 # 2 with the generic key
        fp("other", [7], [generic, 20, 21]),
    ]
    db = stored_warehouse(tmp_path, stored)
    new = fp("new", [1, 2, 3], [10, 11, 12, 13, 14, 15, generic])
    with connect(db, read_only=True) as con:
        found = reads.band_matches(con, [new], SETTINGS)
    ids = {stable_id(f"{n}"): n for n in ("near", "nearer", "third", "two", "other")}
    got = {(ids[m.other_id], m.index_name, m.shared) for m in found}
    assert all(m.article_id == new.article_id for m in found)
    # Events: the two sharing most, the generic key not counted (without the bucket
    # limit "two" would reach the floor of three, and every count would be one more).
    assert {g for g in got if g[1] == "event"} == {("nearer", "event", 5), ("near", "event", 4)}
    # Copies: the two sharing most of the copy bands, ties broken by id.
    copies = sorted((g for g in got if g[1] == "copy"), key=lambda g: -g[2])
    assert copies[0] == ("near", "copy", 2) and len(copies) == 2

    # Without the bucket limit, the generic key counts again.
    loose = replace(SETTINGS, event_max_bucket=100, event_max_candidates=10)
    with connect(db, read_only=True) as con:
        found = reads.band_matches(con, [new], loose)
    shared = {ids[m.other_id]: m.shared for m in found if m.index_name == "event"}
    assert shared == {"nearer": 6, "near": 5, "third": 4, "two": 3}


def test_an_article_is_not_its_own_match(tmp_path):
    article = fp("same", [1, 2], [10, 11, 12, 13])
    db = stored_warehouse(tmp_path, [article])
    with connect(db, read_only=True) as con:
        assert reads.band_matches(con, [article], SETTINGS) == []


def test_event_keys_join_only_articles_of_the_event_window(tmp_path):
    day = 20_000
    bands = [10, 11, 12, 13]
    stored = [fp("same-week", [1], bands, day + 5), fp("two-months-later", [1], bands, day + 60),
              fp("undated", [], bands, None)]
    db = stored_warehouse(tmp_path, stored)
    loose = replace(SETTINGS, event_max_candidates=10, copy_max_candidates=10)
    with connect(db, read_only=True) as con:
        dated = reads.band_matches(con, [fp("new", [1], bands, day)], loose)
        undated = reads.band_matches(con, [fp("new", [1], bands, None)], loose)
    names = {stable_id(n): n for n in ("same-week", "two-months-later", "undated")}
    # Two months apart cannot be one event (the window is 14 days), but a copy can be
    # published any time; an undated article may belong to any event.
    assert {(names[m.other_id], m.index_name) for m in dated} == {
        ("same-week", "event"), ("undated", "event"),
        ("same-week", "copy"), ("two-months-later", "copy")}
    assert {names[m.other_id] for m in undated if m.index_name == "event"} == {
        "same-week", "two-months-later", "undated"}


def test_an_event_key_meets_the_articles_of_its_window_across_time_buckets(tmp_path):
    """Stored keys carry a 16-day time bucket: a lookup must find every article within
    the window (14 days and one of slack) in the neighbouring buckets too, and no other."""
    day = 20_000 + 15  # the last day of its bucket: the window spans three buckets
    bands = [10, 11, 12, 13]
    offsets = (-16, -15, -1, 1, 15, 16)
    stored = [fp(f"at{o}", [], bands, day + o) for o in offsets]
    db = stored_warehouse(tmp_path, stored)
    loose = replace(SETTINGS, event_max_candidates=10, event_max_bucket=100)
    with connect(db, read_only=True) as con:
        found = reads.band_matches(con, [fp("new", [], bands, day)], loose)
        undated = reads.band_matches(con, [fp("new", [], bands, None)], loose)
    names = {stable_id(f"at{o}"): o for o in offsets}
    assert sorted(names[m.other_id] for m in found) == [-15, -1, 1, 15]
    assert sorted(names[m.other_id] for m in undated) == sorted(offsets)
    assert {m.shared for m in found + undated} == {4}


def test_many_undated_articles_look_their_keys_up_without_buckets_alike(tmp_path):
    """Past `max_expanded_keys`, a batch's undated articles join the stored keys with the
    buckets masked off instead of asking for each bucket: the same matches, the same
    counts, and the batch's dated articles still only meet their window."""
    bands = [10, 11, 12, 13]
    stored = [fp(f"s{d}", [], bands, d) for d in (20_000, 20_100, 20_400)]
    stored.append(fp("undated", [], bands, None))
    db = stored_warehouse(tmp_path, stored)
    loose = replace(SETTINGS, event_max_candidates=10, event_max_bucket=100)
    batch = [fp("new-undated", [], bands, None), fp("other-undated", [], bands[:3], None),
             fp("new-dated", [], bands, 20_105)]
    masked = masked_as_expanded(db, batch, loose)
    dated = {m.other_id for m in masked if m.article_id == stable_id("new-dated")}
    assert dated == {stable_id("s20100"), stable_id("undated")}
    undated = {m.other_id for m in masked if m.article_id == stable_id("new-undated")}
    assert undated == {stable_id(n) for n in ("s20000", "s20100", "s20400", "undated")}


def test_a_text_stored_many_times_is_matched_as_without_the_per_key_limit(tmp_path):
    """Thirty stored copies of one text: its copy keys are looked up in the first few
    stored articles only, and its event keys, crowded past the bucket limit, not at
    all; the candidates are the same as with neither shortcut."""
    stored = [fp(f"copy{i:02d}", [1, 2, 3], [10, 11, 12, 13, 14]) for i in range(30)]
    db = stored_warehouse(tmp_path, stored)
    new = fp("new", [1, 2, 3], [10, 11, 12, 13, 14])
    tight = replace(SETTINGS, copy_max_per_key=5, event_max_bucket=10)
    loose = replace(SETTINGS, copy_max_per_key=1000, event_max_bucket=10)
    with connect(db, read_only=True) as con:
        found = reads.band_matches(con, [new], tight)
        unlimited = reads.band_matches(con, [new], loose)
    assert sorted(found, key=str) == sorted(unlimited, key=str)
    assert [(m.index_name, m.shared) for m in found] == [("copy", 3)] * 2


def test_undated_copies_looked_up_without_buckets_are_matched_as_with_them(tmp_path):
    """The same for undated articles past `max_expanded_keys`, whose keys join the stored
    ones with their buckets masked off: crowded keys are left out there too (they were
    joined, a row for each stored copy, and a batch of a consent page stored thousands
    of times took seconds more with each thousand)."""
    stored = [fp(f"copy{i:02d}", [1, 2, 3], [10, 11, 12, 13, 14]) for i in range(30)]
    stored += [fp("kin", [], [10, 11, 12, 20, 21, 22]), fp("kin2", [], [10, 12, 20, 21, 22])]
    db = stored_warehouse(tmp_path, stored)
    batch = [fp("new", [1, 2, 3], [10, 11, 12, 13, 14, 20, 21, 22]), fp("new2", [], [20, 21, 12])]
    crowded = replace(SETTINGS, event_max_bucket=10, event_max_candidates=5)
    masked = masked_as_expanded(db, batch, crowded)
    events = {(m.article_id, m.other_id, m.shared) for m in masked if m.index_name == "event"}
    # keys 10-14 are the thirty copies' and crowded: only 20-22 bring candidates
    assert events == {(stable_id("new"), stable_id(kin), 3) for kin in ("kin", "kin2")}
