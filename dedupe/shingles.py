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
    """Each distinct token stemmed once (half of a text's tokens are repeats)."""
    stem_of = {t: light_stem(t) for t in set(tokens)}
    return list(map(stem_of.__getitem__, tokens))


def is_content_term(stem: str, stops: frozenset[str]) -> bool:
    """Terms that can carry an event: names, places, numbers of two digits or more;
    not stop words and not single characters of spaced scripts."""
    return stem not in stops and (len(stem) >= 2 or not stem.isascii())


def term_counts(stemmed: list[str], stops: frozenset[str]) -> Counter[str]:
    return Counter(s for s in stemmed if is_content_term(s, stops))


def passages(stemmed: list[str], n: int, stops: frozenset[str]) -> set[str]:
    """Stemmed word n-grams of sentences: at least two content words and at least one
    function word. A quoted sentence or a figure in context has both; a bare run of
    names and titles ("Dr X, president of Y University" in Arabic has no function word)
    names the people a story is about, who are in many stories, so it is not a passage
    (on SemEval's Arabic pairs such runs were all the passages of unrelated pairs)."""
    function = [s in stops for s in stemmed]
    running = sum(function[:n])
    out = set()
    for i in range(len(stemmed) - n + 1):
        if i:
            running += function[i + n - 1] - function[i - 1]
        if n - running >= 2 and running >= 1:
            out.add(" ".join(stemmed[i : i + n]))
    return out


def quoted_passages(
    stemmed: list[str], n: int, stops: frozenset[str], spans: tuple[tuple[int, int], ...]
) -> set[str]:
    """The passages (as `passages` makes them) that lie inside one of the spans: what
    the text quotes."""
    return set().union(*(passages(stemmed[start:end], n, stops) for start, end in spans))
