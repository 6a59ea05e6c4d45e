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


def parse_iso_date(value: str | None) -> datetime | None:
    """trafilatura returns dates as YYYY-MM-DD (or longer ISO strings)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip()[:19])
    except ValueError:
        return None
