"""Counting words in any script: what the article-length rules measure."""

from __future__ import annotations

import re

# Scripts written without spaces between words (kana, CJK ideographs, Thai): each
# character counts as a word, as the tokenizer splits them.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """Words of spaced scripts plus characters of unspaced ones. Splitting on spaces
    alone found 18 "words" in a 600-character Japanese article, and it was dropped as
    too short."""
    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return len(_WORD.findall(text))
    return unspaced + len(_WORD.findall(UNSPACED.sub(" ", text)))


# Hangul syllable blocks: spaced between words, but a block is a syllable, not a letter.
_HANGUL = re.compile(r"[\uac00-\ud7af]")


def line_length(text: str) -> int:
    """Characters, with an unspaced-script character counted as three and a Hangul
    syllable as two: about what each stands for in letters of an alphabetic script.
    Length thresholds written in characters (jusText's 70 and 150) otherwise call a
    whole Japanese paragraph a short line."""
    return len(text) + 2 * len(UNSPACED.findall(text)) + len(_HANGUL.findall(text))


# A sentence ends with one of these (quotes and brackets after it aside); a headline
# does not, though it may ask or exclaim.
SENTENCE_END = re.compile(r"[.:;,،؛。۔…](?:[\s\"'”’»)\]]*)$")
