"""Default dedupe settings: one place, shipped as they are measured in the README."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class DedupeSettings:
    seed: int = 1
    num_perm: int = 128
    # Copies: word 3-grams survive light edits better than 5-grams; 32 bands of 4 rows
    # make pairs with Jaccard >= ~0.45 candidates with high probability.
    copy_shingle_words: int = 3
    copy_bands: int = 32
    copy_max_candidates: int = 20  # per article: the copies sharing most bands
    # A copy band key is looked up in at most this many stored articles (the first by
    # key). A text stored thousands of times (a consent page, an error page, a wire
    # story on every site of a chain) shares all its keys with all its copies: every
    # new copy joined each of them, 32 rows each, and a run's linking grew with the
    # square of the copies (1,000 copies 8.4 s, 3,000 56.8 s). Any of them serves as a
    # candidate: they are one text.
    copy_max_per_key: int = 100
    # A copy is accepted when most of the shorter text is inside the longer one.
    copy_min_containment: float = 0.6
    copy_min_jaccard: float = 0.5
    # Events: MinHash over the top salient terms. Different outlets' texts on one event
    # share only a few of them (term-set Jaccard 0.05-0.15), so bands are single rows:
    # a pair sharing a few salient terms is a candidate, and the scoring step decides.
    salient_terms: int = 40
    event_bands: int = 128
    # Candidates (dedupe/candidates.py): an event candidate shares at least this many
    # event bands, and each article is scored against at most this many of them, the
    # ones sharing most. The cap bounds the work per article at any warehouse size, and
    # comparing with the closest few also makes the grouping's share rule sharper (UCI
    # dev ARI with a cap of 10, 20, 30, 50: 0.40, 0.46, 0.40, 0.34; SemEval unchanged).
    event_min_shared_bands: int = 4
    event_max_candidates: int = 20
    # A band key (one salient term, in effect) that more than this many stored articles
    # share is generic: it brings no candidates. Such keys are most of what a
    # million-article warehouse would join per batch, and the articles of one event
    # still share their rarer terms' keys.
    event_max_bucket: int = 1000
    passage_words: int = 5
    # Scoring: TF-IDF cosine over character 5-grams. Alone it decides above
    # `event_strong_cosine`; between the two cosines, shared passages that one of the
    # texts quotes (a statement both report, word for word) must back it. Passages
    # shared outside quotes were, on SemEval's Arabic pairs, the attribution formulae
    # around one TV host's unrelated statements.
    event_min_cosine: float = 0.30
    event_min_quoted_passages: int = 5
    event_strong_cosine: float = 0.37
    event_window_days: int = 14
    # And a link shares at least this many content words (stems). Two short texts
    # (headlines, feed summaries) reach the cosine on one shared word: "Four questions
    # about Tor" and "NHTSA submits 107 questions to GM" (0.52), "Business Wire" and
    # "Business in Savannah in brief" (0.49). On the UCI headline stories such links
    # chained unrelated stories into one event: with this rule pair precision 0.50 ->
    # 0.65, ARI 0.46 -> 0.51. Two articles' texts share dozens: SemEval and the seeds
    # do not move.
    event_min_shared_terms: int = 2
    # Grouping: an article joins an event only when it links to at least this share of
    # the event's members it was compared with (candidates), so that one generic link
    # does not chain stories together.
    event_min_linked_share: float = 0.2
    # Merging events: an article that joins two events by that rule, with the weaker
    # one's summed link score at least this share of the stronger one's, merges them
    # when their own members link to each other (dedupe/grouping.py). Off by default:
    # on the UCI headline stories, whose events are the least pure we measure, even
    # this strict rule lowered ARI from 0.46 to 0.33 (14 merges, each of two impure
    # events); SemEval is unchanged. `[dedupe] event_merge_min_ratio = 0.5` turns it on.
    event_merge_min_ratio: float | None = None

    @property
    def copy_rows(self) -> int:
        return self.num_perm // self.copy_bands

    @property
    def event_rows(self) -> int:
        return self.num_perm // self.event_bands


# What the stored signatures and band keys were made with: changing one of these on a
# warehouse would make new articles' keys miss every stored article's.
INDEX_FIELDS = frozenset(
    {"seed", "num_perm", "copy_shingle_words", "copy_bands", "salient_terms", "event_bands"})


def settings_from(overrides: dict | None) -> DedupeSettings:
    """The defaults with a config's `[dedupe]` values over them; only the scoring and
    grouping settings can change, not what the stored index was built with."""
    overrides = dict(overrides or {})
    known = {f.name for f in fields(DedupeSettings)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"unknown dedupe settings: {', '.join(unknown)}")
    fixed = sorted(set(overrides) & INDEX_FIELDS)
    if fixed:
        raise ValueError(f"dedupe settings fixed by the stored index: {', '.join(fixed)}")
    for name, value in overrides.items():
        if (problem := _value_problem(name, value)) is not None:
            raise ValueError(f"dedupe setting {name} {problem}, not {value!r}")
    return DedupeSettings(**overrides)


# Shares and similarities: between 0 and 1.
FRACTIONS = frozenset({"copy_min_containment", "copy_min_jaccard", "event_min_cosine",
                       "event_strong_cosine", "event_min_linked_share", "event_merge_min_ratio"})


def _value_problem(name: str, value) -> str | None:
    """What is wrong with a value a config gives, which would else fail, or quietly
    match nothing, deep in a run."""
    if name in FRACTIONS:
        ok = not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= 1
        return None if ok else "must be a number from 0 to 1"
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "must be a whole number, 0 or more"
    return None
