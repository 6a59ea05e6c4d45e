import math
import random
from collections import Counter

from dedupe.terms import PRIOR_DOCS, TermStats, salient, tfidf


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
