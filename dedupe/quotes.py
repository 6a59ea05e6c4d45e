"""Quotations: which of a text's words stand inside quotation marks.

Outlets covering one event quote the same statement word for word (a treaty's clause,
a minister's sentence), each inside its own quotation marks, and write their own text
around it. What they also share outside quotes is the formulae of news writing ("said
in his programme on … on Thursday, that"), which recur under a person's unrelated
statements. So a shared passage counts as evidence of one event when one of the two
texts quotes it.
"""

from __future__ import annotations

import re

from dedupe.normalize import normalize, normalized_tokens

# The quotation marks of the world's news, each opening mark with its closing ones:
# English and Arabic “…”, German „…“ and »…«, French, Arabic and Russian «…», CJK
# 「…」 and 『…』, typewriter "…", single ‘…’. A quotation is on one line and at most a
# paragraph long.
_CLOSERS = {"“": "”“", "„": "“”", "«": "»", "»": "«", "‹": "›", "「": "」", "『": "』",
            '"': '"', "‘": "’‘", "‚": "‘’"}
# A single quote is one only where it cannot be an apostrophe ("don’t", "l’homme").
_SINGLE = frozenset("‘‚")
# Marks that also close a quotation open one only after a space or a sign, not right
# after a word: where a quotation began on the line before, its closing mark ('… he
# would" and later "…'; '… قال» ثم «…') would open one over the words between two
# quotations.
_AMBIGUOUS = _SINGLE | {'"', "»"}
_OPENING = re.compile("[" + "".join(_CLOSERS) + "]")
_QUOTATION = {
    mark: re.compile(f"{mark}[^{mark}{closers}\n]{{1,1000}}?[{closers}]"
                     + ("(?!\\w)" if mark in _SINGLE else ""))
    for mark, closers in _CLOSERS.items()
}


def quotations(text: str) -> list[tuple[int, int]]:
    """Where the text's quotations are, marks included: (start, end) offsets. Found
    from each opening mark (a regular expression of every kind of quotation tried at
    every character took half again as long as tokenizing)."""
    found, at = [], 0
    while m := _OPENING.search(text, at):
        start = m.start()
        mark = m.group()
        q = _QUOTATION[mark].match(text, start)
        if q is None or (mark in _AMBIGUOUS and start and (text[start - 1].isalnum()
                                                           or text[start - 1] == "_")):
            at = start + 1
            continue
        found.append((start, q.end()))
        at = q.end()
    return found


def tokenize_quoted(text: str) -> tuple[list[str], tuple[tuple[int, int], ...]]:
    """The text's tokens (`normalize.tokenize`), and the spans of them, [start, end),
    that stand inside quotation marks. Normalising keeps the marks, and a mark is never
    part of a token, so the pieces between marks tokenize as the whole does."""
    text = normalize(text)
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    for begin, end in quotations(text):
        tokens += normalized_tokens(text[at:begin])
        start = len(tokens)
        tokens += normalized_tokens(text[begin:end])
        if len(tokens) > start:
            spans.append((start, len(tokens)))
        at = end
    tokens += normalized_tokens(text[at:])
    return tokens, tuple(spans)
