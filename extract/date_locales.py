"""htmldate's last resort, dateparser, in the page's declared language and English.

A date-like string that htmldate's own patterns cannot read goes to dateparser with
every locale it knows, and dateparser tries them one after another: 25 ms a string on
the WCXB pages (52 strings, 0.9 s, 3% of our extraction time), almost all of it on
strings that are no date at all ("Hours Mon-Fri 9AM-9PM", "Top 10 HR Companies in
2026"). Given the page's declared language and English, it read the same dates from
all 52 strings (and the same none), 20 times faster. A page that declares no language,
or one dateparser does not know, still gets every locale, and so does a string with
letters beyond ASCII that the declared languages cannot read.

htmldate caches what it reads from a string (`try_date_expr`) for the whole process;
here the cache is keyed by the languages too, so a string reads the same on a page
whatever pages came before it, in any thread. A timestamp reaches it without the
fraction of its seconds, which htmldate would drop it for (`without_second_fraction`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache, lru_cache

from dateparser import DateDataParser
from dateparser.data.languages_info import language_order
from htmldate import core, extractors
from htmldate.settings import CACHE_SIZE

from extract.dates import without_second_fraction

LOGGER = logging.getLogger(__name__)

_KNOWN = frozenset(language_order)
# Codes pages still declare that dateparser knows by their current names.
_ALIASES = {"no": "nb", "iw": "he", "in": "id", "ji": "yi"}

# None: every locale, htmldate's own choice.
_LANGUAGES: ContextVar[tuple[str, ...] | None] = ContextVar("date_languages", default=None)


def date_languages(declared: str | None) -> tuple[str, ...] | None:
    """The languages a page's dates are read in: its declared one (a primary subtag,
    `declared_language`) and English, or None (every locale) when it declares none that
    dateparser knows."""
    code = _ALIASES.get(declared or "", declared)
    if code not in _KNOWN:
        return None
    return ("en",) if code == "en" else (code, "en")


@contextmanager
def dates_read_in(languages: tuple[str, ...] | None) -> Iterator[None]:
    token = _LANGUAGES.set(languages)
    try:
        yield
    finally:
        _LANGUAGES.reset(token)


@cache
def _parser(languages: tuple[str, ...] | None) -> DateDataParser:
    if languages is None:
        return extractors.get_external_parser()
    # htmldate's own settings (those it gives, not dateparser's defaults filled in)
    settings = extractors.get_external_parser()._settings._mod_settings
    return DateDataParser(languages=list(languages), settings=dict(settings))


def _parsed(string: str, languages: tuple[str, ...] | None) -> datetime | None:
    try:
        return _parser(languages).get_date_data(string)["date_obj"]
    except (OverflowError, ValueError) as exc:  # what htmldate catches here too
        LOGGER.debug("dateparser failed on %r: %s", string, exc)
        return None


def _external_date(string: str) -> datetime | None:
    languages = _LANGUAGES.get()
    found = _parsed(string, languages)
    # A page whose template declares a language its text is not in (lang="en" on an
    # Arabic site): a string with letters beyond ASCII that its declared languages
    # cannot read gets every locale, as htmldate gives it.
    if found is None and languages is not None and not string.isascii() and any(
            ch.isalpha() and not ch.isascii() for ch in string):
        found = _parsed(string, None)
    return found


_htmldates_try_date_expr = getattr(extractors.try_date_expr, "__wrapped__", None)


@lru_cache(maxsize=CACHE_SIZE)
def _try_date_expr_in(languages, string, outputformat, extensive, min_date, max_date):
    return _htmldates_try_date_expr(string, outputformat, extensive, min_date, max_date)


def _try_date_expr(string, outputformat, extensive_search, min_date, max_date):
    if string:
        string = without_second_fraction(string)
    return _try_date_expr_in(_LANGUAGES.get(), string, outputformat, extensive_search,
                             min_date, max_date)


def install() -> None:
    """Puts the language-aware parser and cache where htmldate looks them up."""
    if _htmldates_try_date_expr is None:
        LOGGER.warning("htmldate's try_date_expr is not the cached function expected; "
                       "its dates are read in every locale")
        return
    extractors._external_date = _external_date
    extractors.try_date_expr = _try_date_expr
    core.try_date_expr = _try_date_expr
