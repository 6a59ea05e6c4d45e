import numpy as np
from datasketch import MinHash

from dedupe.candidates import BandMatch, select_candidates
from dedupe.lsh import (
    KEY_MASK,
    UNDATED_BUCKET,
    band_keys,
    bucketed_keys,
    shared_band_counts,
    time_bucket,
    window_buckets,
)
from dedupe.minhash import (
    datasketch_minhash,
    distinct,
    estimate_containment,
    estimate_jaccard,
    shared_count,
    shingle_hash,
    shingle_hashes,
    signature,
    signature_of_hashes,
)
from dedupe.settings import DedupeSettings
from dedupe.shingles import word_shingles


def test_signature_is_bit_identical_to_datasketch_update_loop():
    shingles = {f"word{i} word{i + 1} word{i + 2}" for i in range(300)}
    reference = datasketch_minhash(128, 7)
    for s in shingles:
        reference.update(s.encode("utf-8"))
    ours = signature(shingles, 128, 7)
    assert ours.dtype == np.uint32
    assert np.array_equal(ours, reference.hashvalues.astype(np.uint32))


def test_a_long_texts_signature_over_several_blocks_is_datasketchs():
    # more hashes than one block of `signature_of_hashes` holds
    tokens = [f"w{i % 9973}" for i in range(20_000)]
    reference = datasketch_minhash(128, 1)
    reference.update_batch([s.encode("utf-8") for s in word_shingles(tokens, 3)])
    ours = signature_of_hashes(shingle_hashes(tokens, 3), 128, 1)
    assert np.array_equal(ours, reference.hashvalues.astype(np.uint32))


def test_signatures_made_in_threads_at_once_are_each_their_own():
    # each thread reuses a block of its own (`dedupe.minhash._block`)
    from concurrent.futures import ThreadPoolExecutor

    texts = [[f"t{k}w{i % 613}" for i in range(3_000 + 500 * k)] for k in range(8)]
    alone = [signature_of_hashes(shingle_hashes(t, 3), 128, 1) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(
            lambda t: signature_of_hashes(shingle_hashes(t, 3), 128, 1), texts * 4))
    assert all(np.array_equal(s, alone[i % 8]) for i, s in enumerate(together))


def test_vectorised_shingle_hashes_equal_the_hash_function_one_by_one():
    tokens = ["روسيا", "وكوريا", "الشمالية", "توقعان", "اتفاقية", "شراكة", "the", "cat", "sat", "on", "the", "mat", "2024"]
    for n in (1, 3, 5, 50):
        expected = {shingle_hash(s.encode("utf-8")) for s in word_shingles(tokens, n)}
        assert set(shingle_hashes(tokens, n).tolist()) == expected
        assert len(shingle_hashes(tokens, n)) == max(1, len(tokens) - n + 1)
    reference = datasketch_minhash(128, 1)
    for s in word_shingles(tokens, 3):
        reference.update(s.encode("utf-8"))
    ours = signature_of_hashes(shingle_hashes(tokens, 3), 128, 1)
    assert np.array_equal(ours, reference.hashvalues.astype(np.uint32))


def test_words_never_hashed_before_give_the_same_shingle_hashes():
    """Word hashes are cached; a text mixing cached words with new ones (most texts:
    a new name) gets the hashes the function gives one shingle at a time."""
    from dedupe import minhash

    minhash._word_hashes.clear()
    shingle_hashes(["putin", "and", "kim"], 1)  # these three cached, the rest new
    tokens = ["putin", "and", "kim", "signed", "a", "pact", "in", "pyongyang", "and", "kim"]
    assert shingle_hashes(tokens, 3).tolist() == [
        shingle_hash(s.encode("utf-8")) for s in
        (" ".join(tokens[i:i + 3]) for i in range(len(tokens) - 2))]


def test_datasketch_agrees_on_similarity_of_our_signatures():
    a = {f"s{i}" for i in range(0, 400)}
    b = {f"s{i}" for i in range(100, 500)}
    ma, mb = MinHash(num_perm=128, seed=1, scheme="affine32", hashvalues=signature(a, 128, 1)), \
        MinHash(num_perm=128, seed=1, scheme="affine32", hashvalues=signature(b, 128, 1))
    assert ma.jaccard(mb) == estimate_jaccard(signature(a, 128, 1), signature(b, 128, 1))


def test_jaccard_estimate_is_close_to_exact():
    a = {f"s{i}" for i in range(0, 1000)}
    b = {f"s{i}" for i in range(500, 1500)}
    exact = len(a & b) / len(a | b)
    est = estimate_jaccard(signature(a, 256, 1), signature(b, 256, 1))
    assert abs(est - exact) < 0.1


def test_containment_from_jaccard_and_sizes():
    # B is a 70% truncation of A: Jaccard 0.7, all of B inside A.
    assert abs(estimate_containment(0.7, 1000, 700) - 1.0) < 1e-9
    assert estimate_containment(0.0, 10, 10) == 0.0


def test_band_keys_differ_per_band_even_for_equal_values():
    sig = np.zeros(8, dtype=np.uint32)
    keys = band_keys(sig, 4, 2)
    assert len(set(keys.tolist())) == 4


def test_the_window_buckets_of_a_day_hold_every_day_within_the_window_and_no_undated():
    for window in (1, 15, 16, 40):
        for day in (-400, -17, -16, -1, 0, 15, 16, 20_000, 20_007, 20_015):
            buckets = set(window_buckets(day, window))
            assert UNDATED_BUCKET not in buckets
            assert all(time_bucket(d) in buckets for d in range(day - window, day + window + 1))
            # and not many more: at most one bucket's worth of days on either side
            assert len(buckets) <= (2 * window) // 16 + 2
    assert time_bucket(None) == UNDATED_BUCKET


def test_bucketed_keys_keep_the_key_and_differ_by_bucket():
    keys = band_keys(np.arange(128, dtype=np.uint32), 128, 1)
    a, b = bucketed_keys(keys, time_bucket(20_000)), bucketed_keys(keys, time_bucket(20_100))
    assert (a & KEY_MASK).tolist() == (b & KEY_MASK).tolist() == (keys & KEY_MASK).tolist()
    assert not set(a.tolist()) & set(b.tolist())
    assert (a >= 0).all() and (bucketed_keys(keys, time_bucket(-10**9)) >= 0).all()


def test_shared_band_counts_count_equal_keys_per_pair():
    a = np.array([1, 2, 3, 4, 5, 6], dtype=np.uint32)
    b = np.array([1, 2, 9, 9, 5, 6], dtype=np.uint32)  # shares bands 0 and 2 with a
    c = np.array([7, 7, 3, 4, 8, 8], dtype=np.uint32)  # shares band 1 with a
    keys = {name: band_keys(sig, 3, 2) for name, sig in {"a": a, "b": b, "c": c}.items()}
    assert shared_band_counts(keys) == {("a", "b"): 2, ("a", "c"): 1}


def test_shared_band_counts_are_the_sizes_of_key_set_intersections():
    """Against the definition, on batches whose buckets range from empty to dozens of
    articles, with repeated keys within one article counted once."""
    rng = np.random.default_rng(3)
    for _ in range(30):
        n, vocabulary = int(rng.integers(0, 60)), int(rng.integers(3, 400))
        keys = {f"a{i}": rng.integers(0, vocabulary, size=int(rng.integers(0, 40)))
                for i in range(n)}
        expected = {}
        for x in keys:
            for y in keys:
                shared = len(set(keys[x].tolist()) & set(keys[y].tolist()))
                if x < y and shared:
                    expected[(x, y)] = shared
        assert shared_band_counts(keys) == expected


def test_distinct_is_sorted_and_each_hash_once():
    rng = np.random.default_rng(4)
    for size in (0, 1, 2, 5, 1000):
        hashes = rng.integers(0, 50, size=size).astype(np.uint32)
        assert np.array_equal(distinct(hashes), np.unique(hashes))
        assert distinct(hashes).dtype == np.uint32


def test_shared_count_is_the_size_of_the_sets_intersection():
    rng = np.random.default_rng(5)
    for size_a, size_b in ((0, 0), (0, 3), (1, 1), (3, 40), (40, 3), (500, 700)):
        # values from a small range, so that the arrays share some and miss some,
        # including values past either end of the other array
        a = distinct(rng.integers(0, 900, size=size_a).astype(np.uint32))
        b = distinct(rng.integers(50, 1000, size=size_b).astype(np.uint32))
        expected = len(set(a.tolist()) & set(b.tolist()))
        assert shared_count(a, b) == shared_count(b, a) == expected


def test_candidates_are_the_closest_copies_and_the_closest_event_matches_above_a_floor():
    settings = DedupeSettings(event_min_shared_bands=4, event_max_candidates=2,
                              copy_max_candidates=2)
    matches = [
        BandMatch("new", "copy-1", "copy", 1),     # one copy band is enough
        BandMatch("new", "copy-9", "copy", 9),
        BandMatch("new", "copy-0", "copy", 1),     # a third copy: beyond the cap (ties by id)
        BandMatch("new", "weak", "event", 3),      # below the floor: one shared term, by chance
        BandMatch("new", "e10", "event", 10),
        BandMatch("new", "e30", "event", 30),
        BandMatch("new", "e5", "event", 5),        # above the floor, but beyond the cap
        BandMatch("other", "e5", "event", 5),      # the cap is per article
    ]
    assert select_candidates(matches, settings) == {
        ("new", "copy-9"), ("new", "copy-0"), ("new", "e30"), ("new", "e10"), ("other", "e5")}


def test_copy_signature_from_the_analysed_shingles_is_datasketchs_over_every_shingle():
    """The worker makes an article's shingles once and ships them with its analysis;
    the fingerprint made from them, after pickling, is datasketch's signature over the
    text's shingles and counts repeated shingles in n_shingles."""
    import pickle

    from dedupe.fingerprint import fingerprint
    from dedupe.terms import TermStats, analyse

    settings = DedupeSettings()
    n = settings.copy_shingle_words
    text = "the talks went on. " * 3 + "روسيا وكوريا الشمالية توقعان اتفاقية شراكة " * 2
    analysed = analyse(text, "en")
    analysed.shingles(n)
    shipped = pickle.loads(pickle.dumps(analysed))
    assert "_shingles" in shipped.__dict__
    fp = fingerprint("a", shipped, TermStats(), settings)
    tokens = analysed.tokens
    reference = datasketch_minhash(settings.num_perm, settings.seed)
    for s in word_shingles(tokens, n):
        reference.update(s.encode("utf-8"))
    assert np.array_equal(fp.copy_signature, reference.hashvalues.astype(np.uint32))
    assert fp.n_shingles == len(tokens) - n + 1 > len(set(word_shingles(tokens, n)))
    assert np.array_equal(shipped.shingles(n), distinct(shingle_hashes(tokens, n)))
    short = fingerprint("b", analyse("two words", "en"), TermStats(), settings)
    assert short.n_shingles == 1
    assert fingerprint("c", analyse("", "en"), TermStats(), settings).n_shingles == 0
