"""Shingles and terms: the sets that MinHash and scoring compare."""

from __future__ import annotations

from collections import Counter

from dedupe.normalize import light_stem


def word_shingles(tokens: list[str], n: int) -> set[str]:
    """Contiguous word n-grams; a text shorter than n is one shingle of itself."""
    if len(tokens) < n:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def stems(tokens: list[str]) -> list[str]:
    return [light_stem(t) for t in tokens]


def is_content_term(stem: str, stops: frozenset[str]) -> bool:
    """Terms that can carry an event: names, places, numbers of two digits or more;
    not stop words and not single characters of spaced scripts."""
    return stem not in stops and (len(stem) >= 2 or not stem.isascii())


def term_counts(stemmed: list[str], stops: frozenset[str]) -> Counter[str]:
    return Counter(s for s in stemmed if is_content_term(s, stops))


def passages(stemmed: list[str], n: int, stops: frozenset[str]) -> set[str]:
    """Stemmed word n-grams with at least two content words: quoted sentences, names
    and numbers in context, not runs of function words."""
    content = [s not in stops for s in stemmed]
    running = sum(content[:n])
    out = set()
    for i in range(len(stemmed) - n + 1):
        if i:
            running += content[i + n - 1] - content[i - 1]
        if running >= 2:
            out.add(" ".join(stemmed[i : i + n]))
    return out
