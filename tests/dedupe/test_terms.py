import math
import random
from collections import Counter

from dedupe import terms
from dedupe.terms import (
    PRIOR_DOCS,
    TermStats,
    char_grams,
    cosine,
    gram_counts,
    salient,
    tfidf,
    unit_vector,
)


def test_tfidf_is_log_scaled_count_times_smoothed_idf():
    """Against the formula, for counts below and above the precomputed table, terms the
    warehouse has seen and terms it has not, and asked twice (the idf cache)."""
    stats = TermStats(n_docs=50, df={"summit": 40, "pyongyang": 3, "#kim#": 1})
    counts = Counter({"summit": 1, "pyongyang": 7, "#kim#": 255, "treaty": 256, "rare": 9000})
    for _ in range(2):
        weights = tfidf(counts, stats)
        assert weights.keys() == counts.keys()
        for term, count in counts.items():
            idf = math.log((50 + PRIOR_DOCS + 1) / (stats.df.get(term, 0) + 1)) + 1.0
            assert weights[term] == (1.0 + math.log(count)) * idf
    # rarer in the warehouse weighs more, and more occurrences weigh more
    assert tfidf(Counter({"a": 1}), stats)["a"] > tfidf(Counter({"summit": 1}), stats)["summit"]
    assert tfidf(Counter({"a": 2}), stats)["a"] > tfidf(Counter({"a": 1}), stats)["a"]


def test_salient_terms_are_the_k_heaviest_ties_broken_by_the_term():


    rng = random.Random(2)
    for _ in range(2000):
        # few distinct weights, so that ties at the k-th place are common
        vector = {f"t{rng.randint(0, 200)}": rng.choice([1.0, 2.0, rng.random()])
                  for _ in range(rng.randint(0, 80))}
        k = rng.randint(0, 40)
        ranked = sorted(vector, key=lambda t: (-vector[t], t))
        assert salient(vector, k) == tuple(ranked[:k])


def _words(rng: random.Random, n: int) -> list[str]:
    # a small alphabet, so that words and their grams repeat within and across texts
    return ["".join(rng.choice("abcdeكتب") for _ in range(rng.randint(1, 9))) for _ in range(n)]


def test_char_grams_count_each_gram_of_each_content_word_as_often_as_the_word():
    rng = random.Random(5)
    for _ in range(300):
        tokens = _words(rng, rng.randint(0, 60))
        stops = frozenset(rng.sample(tokens, k=min(3, len(tokens))))
        expected: Counter = Counter()
        for token in tokens:  # one occurrence at a time: the definition, not the shortcut
            if token in stops or (len(token) < 2 and token.isascii()):
                continue
            word = f"#{token}#"
            for i in range(max(1, len(word) - 4)):
                expected[word[i : i + 5]] += 1
        assert char_grams(tokens, stops) == expected


def test_unit_vector_dot_is_the_cosine_of_the_tfidf_vectors():
    """With terms the stats know and terms they do not (df 0); empty and disjoint
    vectors give 0."""
    rng = random.Random(6)
    stats = TermStats(n_docs=500, df={w: rng.randint(1, 400) for w in _words(rng, 300)})
    docs = [Counter(_words(rng, rng.randint(0, 400))) for _ in range(40)]
    vectors = [unit_vector(gram_counts(counts), stats) for counts in docs]
    assert any(set(counts) - set(stats.df) for counts in docs)
    for i in range(len(docs)):
        for j in range(len(docs)):
            expected = cosine(tfidf(docs[i], stats), tfidf(docs[j], stats))
            assert math.isclose(vectors[i].dot(vectors[j]), expected, abs_tol=1e-12)
    def vector(counts: dict) -> terms.SparseVector:
        return unit_vector(gram_counts(Counter(counts)), stats)

    assert vector({"x1": 2}).dot(vector({"y1": 1})) == 0
    assert vector({}).dot(vector({"x1": 1})) == 0
    assert math.isclose(vector({"x1": 2}).dot(vector({"x1": 5})), 1.0)


def test_grams_whose_keys_collide_are_counted_as_one(monkeypatch):
    monkeypatch.setattr(terms, "hash", len, raising=False)  # keys by length: all collide
    counted = gram_counts(Counter({"#abcd": 2, "bcde#": 3, "#ab#": 1}))
    assert counted.keys.tolist() == [4, 5] and counted.counts.tolist() == [1, 5]


def test_an_analysis_comes_back_from_a_pickle_as_it_was_made():
    """What a worker sends the flow's process (its words, stems, counts and grams as
    packed strings) unpickles to the same analysis: the same lists in the same order,
    the same counters in the same order, and what was not made yet is made after."""
    import pickle

    from dedupe.terms import analyse

    rng = random.Random(7)
    vocabulary = ["the", "summit", "putin", "kim", "2024", "a", "x", "والمعاهدات",
                  "المعاهده", "روسيا", "كيم", "بوتين", "و", "في", "東京", "İstanbul", "«", "»",
                  "“", "”"]
    for case in range(200):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 40)))
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 6)))
        language = rng.choice(["en", "ar", None])
        made = analyse(text, language, title)
        if case % 3:  # what a worker makes of a new article; else a bare analysis
            made.counts, made.grams, made.shingles(3)  # noqa: B018
        shipped = pickle.loads(pickle.dumps(made))
        for name in ("tokens", "title_tokens", "language", "quotes"):
            assert getattr(shipped, name) == getattr(made, name)
        assert set(shipped.__dict__) == set(made.__dict__) - {"stops"}
        assert shipped.stems == made.stems
        assert list(shipped.counts.items()) == list(made.counts.items())
        assert list(shipped.grams.items()) == list(made.grams.items())
        assert (shipped.shingles(3) == made.shingles(3)).all()
        assert shipped.terms == made.terms
