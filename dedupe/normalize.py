"""Text to comparable tokens: Unicode and Arabic normalisation, tokenising, light stemming.

The same rules run on every language: the Arabic-specific steps only touch Arabic
letters, so English or French text passes through them unchanged.
"""

from __future__ import annotations

import re
import unicodedata

from extract.words import UNSPACED

# Harakat, Quranic marks, superscript alef, and tatweel carry no meaning for matching.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_LETTER_VARIANTS = {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef with hamza / madda / wasla
        "ى": "ي", "ی": "ي",                     # alef maqsura, Persian ya
        "ة": "ه",                               # ta marbuta
        "ؤ": "و", "ئ": "ي",                     # hamza on carriers
        "ک": "ك",                               # Persian kaf
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
}  # fmt: skip
_TOKEN = re.compile(r"\w+")

_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("هما", "كما", "تها", "ات", "ون", "ين", "ان", "ها", "هم", "كم", "نا", "يه", "ه", "ي")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def fold_letter_variants(text: str) -> str:
    """`_LETTER_VARIANTS` applied: what `str.translate` does, at a tenth of its time.
    translate looks every character up in the table in Python, and was half the cost
    of tokenising; a `str.replace` per variant is one scan in C, none where it is
    absent. (No variant's replacement is itself a variant, so the order is free.)"""
    for variant, base in _LETTER_VARIANTS.items():
        if variant in text:
            text = text.replace(variant, base)
    return text


def normalize(text: str) -> str:
    """Lower-cased, NFKC, Arabic letter variants and marks folded, digits made ASCII."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_MARKS.sub("", text)
    return fold_letter_variants(text).casefold()


def tokenize(text: str) -> list[str]:
    """Word tokens of normalised text; unspaced scripts split into characters."""
    return normalized_tokens(normalize(text))


def normalized_tokens(text: str) -> list[str]:
    """`tokenize` of a text `normalize` has made."""
    if not UNSPACED.search(text):  # most texts: no token to look into
        return _TOKEN.findall(text)
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if UNSPACED.search(token):
            tokens.extend(ch for ch in token if not ch.isspace())
        else:
            tokens.append(token)
    return tokens


def light_stem(token: str) -> str:
    """Arabic light stemming (Larkey et al.'s light10 in spirit); other tokens unchanged.

    Only strips when a stem of at least three letters remains, so short names survive.
    """
    if not _ARABIC_LETTER.match(token):
        return token
    if token.startswith("و") and len(token) > 3:
        token = token[1:]
    for prefix in _AR_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            token = token[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            break
    return token
