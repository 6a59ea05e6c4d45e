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


def test_a_stored_article_checked_as_a_copy_is_not_analysed_in_full():
    from dedupe.scoring import Profile

    text = seed_article("002").text
    calls = []

    def full():
        calls.append(1)
        return analyse(text, "ar")

    lazy = Profile(full, TermStats(), SETTINGS, text=text)
    eager = Profile(analyse(text, "ar"), TermStats(), SETTINGS)
    assert np.array_equal(lazy.shingles, eager.shingles) and len(lazy.shingles)
    assert calls == []  # its words were enough
    assert lazy.passages == eager.passages and calls == [1]
