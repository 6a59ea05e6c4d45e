"""Language identification and the per-language stoplists the line classifier needs."""

from __future__ import annotations

from functools import cache
from itertools import chain, compress

import justext
import py3langid
from lxml.etree import XPath

# ISO 639-1 codes (what py3langid returns) to jusText's stoplist names.
_JUSTEXT_NAMES = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "hy": "Armenian", "az": "Azerbaijani",
    "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian", "br": "Breton",
    "bg": "Bulgarian", "ca": "Catalan", "hr": "Croatian", "cs": "Czech", "da": "Danish",
    "nl": "Dutch", "en": "English", "eo": "Esperanto", "et": "Estonian", "fi": "Finnish",
    "fr": "French", "gl": "Galician", "ka": "Georgian", "de": "German", "el": "Greek",
    "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "is": "Icelandic", "id": "Indonesian", "ga": "Irish", "it": "Italian", "jv": "Javanese",
    "kn": "Kannada", "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz",
    "la": "Latin", "lv": "Latvian", "lt": "Lithuanian", "lb": "Luxembourgish",
    "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam", "mt": "Maltese", "mr": "Marathi",
    "ne": "Nepali", "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish",
    "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian", "sr": "Serbian",
    "sk": "Slovak", "sl": "Slovenian", "es": "Spanish", "su": "Sundanese", "sw": "Swahili",
    "sv": "Swedish", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "tr": "Turkish",
    "tk": "Turkmen", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese",
    "cy": "Welsh", "fy": "West_Frisian", "yo": "Yoruba",
}  # fmt: skip


# 600 characters of prose decide the language as well as the whole text: py3langid
# scans every byte n-gram of what it is given, and on the WCXB pages 400, 600 and 1,000
# characters gave the same languages, at 0.10, 0.15 and 0.34 ms.
SAMPLE_CHARS = 600


# A paragraph of at least this many words is prose, not a heading, dateline, caption
# or table row (which say less of the language, and are often names and numbers).
PROSE_MIN_WORDS = 12


def prose_sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """The first `size` characters of the text's prose paragraphs, then of the others
    if the prose is short. (Scripts written without spaces have no paragraph of many
    words, and are sampled in order.)"""
    paragraphs = text.split("\n\n")
    is_prose = [len(p.split(None, PROSE_MIN_WORDS)) > PROSE_MIN_WORDS for p in paragraphs]
    others = compress(paragraphs, (not prose for prose in is_prose))
    sample, length = [], 0
    for paragraph in chain(compress(paragraphs, is_prose), others):
        if length >= size:
            break
        sample.append(paragraph[: size - length])
        length += len(sample[-1])
    return "\n".join(sample)[:size]


def identify_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = prose_sample(text)
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    code, _score = py3langid.classify(sample)
    return code


def load_model() -> None:
    """Loads the language model and reads its feature table through once. Loaded but
    untouched, the table (28 MB) is paged in by the texts that first use each part of
    it: 0.6 s over a worker's first 800 pages, more than the rest of their language ID."""
    identify_language("load the language model with a sentence or two of text")
    model = getattr(py3langid.langid, "IDENTIFIER", None)
    table = getattr(model, "nb_ptc", None)
    if table is not None:
        table.max()


@cache
def stoplist(language: str | None) -> frozenset[str]:
    """Lower-cased stop words of a language; empty when we have none for it."""
    name = _JUSTEXT_NAMES.get(language or "")
    if name is None:
        return frozenset()
    return frozenset(word.lower() for word in justext.get_stoplist(name))


_DECLARED = XPath('meta[@http-equiv="content-language" or @http-equiv="Content-Language"]'
                  '/@content|meta[@property="og:locale"]/@content')


def declared_language(tree) -> str | None:
    """The language the page declares, as a primary subtag: `<html lang="ar-EG">`, else
    its head's content-language or og:locale (`en_US`) meta, gives "ar" or "en". What
    the page says, not what its text is: a fallback, and a hint for reading its dates."""
    head = tree.find("head")
    for value in (tree.get("lang"), *(_DECLARED(head) if head is not None else ())):
        code = (value or "").strip().lower().replace("_", "-").split("-")[0].split(",")[0]
        if code.isalpha() and 2 <= len(code) <= 3:
            return code
    return None
