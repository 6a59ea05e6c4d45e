import random

import numpy as np
import pytest

from dedupe import DedupeSettings, TermStats, analyse
from dedupe.scoring import profile, verify_copy
from tests.dedupe.helpers import seed_article

SETTINGS = DedupeSettings()


def prof(text: str):
    return profile(analyse(text, "ar"), TermStats(), SETTINGS)


def edit_words(text: str, share: float, rng: random.Random) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = rng.choice(["قال", "أيضا", "الذي", "كذلك", "said", "also"])
    return " ".join(words)


def variants(text: str):
    rng = random.Random(4)
    paragraphs = text.split("\n\n")
    shuffled = paragraphs[:]
    rng.shuffle(shuffled)
    yield "identical", text
    yield "paragraphs reordered", "\n\n".join(shuffled)
    yield "10% of words edited", edit_words(text, 0.10, rng)
    yield "truncated to 70%", text[: int(len(text) * 0.7)]
    yield "other site's lines around it", "عاجل\n\nتابعونا على تويتر\n\n" + text + "\n\nجميع الحقوق محفوظة"
    yield "edited and truncated", edit_words(text[: int(len(text) * 0.7)], 0.05, rng)


@pytest.mark.parametrize("seed", ["000", "001", "004"])
def test_republished_variants_are_copies(seed):
    article = seed_article(seed)
    original = prof(article.text)
    for name, text in variants(article.text):
        link = verify_copy(original, prof(text), ("a", "b"), SETTINGS)
        assert link is not None, f"{seed}: {name} not found as a copy"
        assert link.evidence["containment"] >= SETTINGS.copy_min_containment


@pytest.mark.parametrize(("x", "y"), [("000", "001"), ("001", "004"), ("000", "004"), ("001", "002")])
def test_same_topic_other_outlets_are_not_copies(x, y):
    a, b = seed_article(x), seed_article(y)
    assert verify_copy(prof(a.text), prof(b.text), ("a", "b"), SETTINGS) is None


def test_a_stored_article_is_analysed_only_as_far_as_its_comparisons_need():
    """A copy check needs its words' shingles, an event score its words' grams; only
    shared passages (and a link's evidence) need the stems."""
    from dedupe.scoring import Profile

    text = seed_article("002").text
    stored = Profile(lambda: analyse(text, "ar"), TermStats(), SETTINGS)
    eager = Profile(analyse(text, "ar"), TermStats(), SETTINGS)
    for part in ("stems", "counts", "grams"):
        getattr(eager.analysed, part)
    assert np.array_equal(stored.shingles, eager.shingles) and len(stored.shingles)
    made = stored.analysed.__dict__
    assert "stems" not in made and "grams" not in made
    assert stored.vector.dot(eager.vector) > 0.999999
    assert "stems" not in made and "counts" not in made
    assert stored.passages == eager.passages and "stems" in made
    assert stored.analysed.counts == eager.analysed.counts
