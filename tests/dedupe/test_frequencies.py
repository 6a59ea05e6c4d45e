from collections import Counter

from dedupe.frequencies import KnownFrequencies


class Warehouse:
    """What a warehouse holds of term counts: its `term_df` and its indexed articles."""

    def __init__(self):
        self.df: Counter[str] = Counter()
        self.n_docs = 0

    def write(self, batch_df: Counter[str], docs: int) -> None:
        self.df.update(batch_df)
        self.n_docs += docs


def weigh(known: KnownFrequencies, warehouse: Warehouse, batch: list[set[str]]):
    """What a batch's link step does: read the unknown terms, weigh the batch."""
    batch_df = Counter(t for doc in batch for t in doc)
    unknown = known.unknown(batch_df, warehouse.n_docs)
    known.learn(unknown, {t: warehouse.df[t] for t in unknown if t in warehouse.df})
    return batch_df, unknown, known.weigh(batch_df, len(batch))


def expected(warehouse: Warehouse, batch_df: Counter[str], docs: int):
    return warehouse.n_docs + docs, {t: warehouse.df[t] + c for t, c in batch_df.items()}


BATCHES = [
    [{"putin", "kim", "summit"}, {"putin", "visit"}],
    [{"putin", "summit", "treaty"}, {"rain", "flood"}, {"kim", "treaty"}],
    [{"putin", "kim", "treaty", "aggression"}],
]


def test_batches_of_a_run_are_weighed_as_the_warehouse_counts_and_read_only_new_terms():
    warehouse, known = Warehouse(), KnownFrequencies()
    warehouse.write(Counter({"putin": 7, "rain": 2}), 9)  # stored before the run
    read_before: set[str] = set()
    for batch in BATCHES:
        batch_df, unknown, stats = weigh(known, warehouse, batch)
        assert (stats.n_docs, dict(stats.df)) == expected(warehouse, batch_df, len(batch))
        assert set(unknown) == set(batch_df) - read_before  # each term read once a run
        read_before |= set(unknown)
        warehouse.write(batch_df, len(batch))


def test_a_batch_not_written_is_not_counted():
    warehouse, known = Warehouse(), KnownFrequencies()
    weigh(known, warehouse, BATCHES[0])  # its write failed: the warehouse is unchanged
    batch_df, _, stats = weigh(known, warehouse, BATCHES[1])
    assert (stats.n_docs, dict(stats.df)) == expected(warehouse, batch_df, len(BATCHES[1]))
    assert stats.df["putin"] == 1


def test_another_writer_between_batches_makes_it_read_again():
    warehouse, known = Warehouse(), KnownFrequencies()
    batch_df, _, _ = weigh(known, warehouse, BATCHES[0])
    warehouse.write(batch_df, len(BATCHES[0]))
    warehouse.write(Counter({"putin": 3, "kim": 1}), 3)  # not through this run
    batch_df, unknown, stats = weigh(known, warehouse, BATCHES[1])
    assert set(unknown) == set(batch_df)
    assert (stats.n_docs, dict(stats.df)) == expected(warehouse, batch_df, len(BATCHES[1]))


def test_over_its_bound_it_keeps_the_commonest_terms_and_stays_exact():
    warehouse, known = Warehouse(), KnownFrequencies(max_terms=6)
    warehouse.write(Counter({"common": 50, "often": 20}), 60)
    batches = [[{"common", "often", f"rare{i}", f"odd{i}"} for _ in range(2)]
               for i in range(6)]
    for batch in batches:
        batch_df, unknown, stats = weigh(known, warehouse, batch)
        assert (stats.n_docs, dict(stats.df)) == expected(warehouse, batch_df, len(batch))
        warehouse.write(batch_df, len(batch))
        assert len(known.df) <= 6 + len(batch_df)  # the bound, and one batch's terms
    # the common terms were read once; the rare ones of each batch were let go
    assert known.reads < sum(len({t for doc in b for t in doc}) for b in batches)
    assert {"common", "often"} <= set(known.df)
