"""Dates written the way news pages write them, in any language dateparser knows."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import dateparser

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_WORD = re.compile(r"\w+")
_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["year", "month"],
}


def parse_date_line(line: str, language: str | None) -> datetime | None:
    """A datetime when the line is (mostly) a date, as in page headers and datelines."""
    if not _YEAR.search(line) or len(_WORD.findall(line)) > 10:
        return None
    languages = [language, "en"] if language and language != "en" else ["en"]
    try:
        parsed = dateparser.parse(line, languages=languages, settings=_SETTINGS)
    except Exception:  # dateparser raises a zoo of errors on odd input; none is ours to handle
        return None
    if parsed is None or not 1950 <= parsed.year <= datetime.now(UTC).year + 1:
        return None
    return parsed


# A timestamp whose seconds have a fraction before its zone ("2025-12-05T11:00:22.000Z",
# as JavaScript's toISOString and many CMSs write them): htmldate 1.11 drops it, as its
# filter of strings that are no date takes ".000Z" for a price or a code (three digits
# between non-digits), and a microsecond one has more digits than it allows. On the
# Guardian's pages it then read the day from "This article was amended on 8 December",
# not from `article:published_time`. The fraction says nothing about the day.
_SECOND_FRACTION = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})[.,]\d+(Z|[+-]\d{2}(?::?\d{2})?)?$")


def without_second_fraction(value: str) -> str:
    """An ISO 8601 timestamp without the fraction of its seconds; any other string as
    it is."""
    found = _SECOND_FRACTION.match(value.strip())
    return found.group(1) + (found.group(2) or "") if found else value


def parse_iso_date(value: str | None) -> datetime | None:
    """trafilatura returns dates as YYYY-MM-DD (or longer ISO strings)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip()[:19])
    except ValueError:
        return None
