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
    # The page's language alone first: given it and English together, dateparser reads
    # Turkish "12 Mart 2024" as 1 December, "Mart" as the Marquesas' time zone.
    for languages in ([language], ["en"]) if language and language != "en" else (["en"],):
        try:
            parsed = dateparser.parse(line, languages=languages, settings=_SETTINGS)
        except Exception:  # dateparser raises a zoo of errors on odd input; none is ours
            continue
        if parsed is not None:
            return parsed if 1950 <= parsed.year <= datetime.now(UTC).year + 1 else None
    return None


# A date inside a line of other words ("Published on November 11, 2025", "By Haley
# Hoekstra • March 12, 2025", "Essay - Published: 2025.12.17 | programming"): a day and a
# word (the month, as dateparser knows it in the page's language) either side of a
# year ("12 de marzo de 2024" too), "2024年3月12日", or a numeric date. Each span is
# handed to dateparser alone.
_DATE_SPAN = re.compile(
    r"(?<!\w)(?:\d{1,2}(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?\w+\.?[,،]?\s+(?:de\s+)?(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"
    r"|\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d)(?!\d)")


def date_in_line(line: str, language: str | None) -> datetime | None:
    """The line's date where the line is a date, else the first date written inside it."""
    found = parse_date_line(line, language)
    if found is not None or not _YEAR.search(line):
        return found
    for span in _DATE_SPAN.finditer(line):
        if found := parse_date_line(span.group(), language):
            return found
    return None


# The label of a story's last change: the date after it is not the publication's.
_UPDATED = re.compile(
    r"updated|modified|mis à jour|actualizado|aktualisiert|aggiornato|atualizado|"
    r"обновлено|güncellen|diperbarui|تحديث|تم التحديث", re.I)


def line_dates(line: str, language: str | None) -> tuple[datetime | None, datetime | None]:
    """The publication date and the update date a header line gives ("December 22,
    2022 Updated: January 02, 2026", "Last Updated on Feb 24, 2026")."""
    label = _UPDATED.search(line)
    if label is None:
        return date_in_line(line, language), None
    before = line[: label.start()]
    return (date_in_line(before, language) if before.strip() else None,
            date_in_line(line[label.end():], language))


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
