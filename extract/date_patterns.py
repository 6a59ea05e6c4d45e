"""htmldate's whole-page date patterns, run on the text around digits only.

When nothing in a page's markup dates it, htmldate's extensive search runs a series
of regular expressions over the whole serialised page (`search_page`). Each begins
with `\\D`, which matches almost every character, so the regex engine starts a match
attempt at every position: 1-2 ms a pattern on a 70 kB page, 14 ms a page on the
eighth of WCXB pages that get this far. Yet every match of these patterns is a
non-digit followed by an ASCII digit and at most 12 characters long, so its matches
in the page are exactly its matches in the page's windows around digit runs, joined
by a character that can neither start nor continue a match. Same dates, a fifth of
the time.
"""

from __future__ import annotations

import logging
import re

import numpy as np
from htmldate import core

LOGGER = logging.getLogger(__name__)

# A window reaches this far before a digit run's first digit (the \D before it and
# SIMPLE_PATTERN's 6-character look-behind) and this far after it (the widest
# pattern is 12 characters from its \D).
WINDOW_BEFORE = 8
WINDOW_AFTER = 16
# ARABIC-INDIC DIGIT ZERO: a digit to `\D` (so no match starts or ends on it) but not
# one of the `[0-9]` the patterns' digits are made of.
SEPARATOR = "\u0660"

# The patterns as htmldate 1.11 writes them; one that changes is left alone (and
# tests/extract/test_date_patterns.py says so) until its matches are re-checked.
PATTERNS = {
    "THREE_LOOSE_PATTERN": r"\D([0-9]{4}[/.-][0-9]{2}[/.-][0-9]{2})\D",
    "SELECT_YMD_PATTERN": r"\D([0-3]?[0-9][/.-][0-1]?[0-9][/.-][0-9]{4})\D",
    "DATESTRINGS_PATTERN":
        r"(\D19[0-9]{2}[01][0-9][0-3][0-9]\D|\D20[0-9]{2}[01][0-9][0-3][0-9]\D)",
    "SLASHES_PATTERN":
        r"\D([0-3]?[0-9]/[0-1]?[0-9]/[0129][0-9]|[0-3][0-9]\.[01][0-9]\.[0129][0-9])\D",
    "YYYYMM_PATTERN": r"\D([12][0-9]{3}[/.-](?:1[0-2]|0[1-9]))\D",
    "MMYYYY_PATTERN": r"\D([0-1]?[0-9][/.-][12][0-9]{3})\D",
    "SIMPLE_PATTERN": r"(?<!w3.org)\D((?:199[0-9]|20[0-3][0-9]))\D",
}


def digit_windows(text: str) -> str:
    """The stretches of `text` from WINDOW_BEFORE characters before each run of ASCII
    digits to WINDOW_AFTER after its start, overlapping ones merged, joined by
    SEPARATOR."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    digit = (codes - 48) < 10  # unsigned: everything below "0" wraps round to large
    starts = np.flatnonzero(digit[1:] & ~digit[:-1]) + 1
    if digit.size and digit[0]:
        starts = np.concatenate(([0], starts))
    if not starts.size:
        return ""
    lo = np.maximum(starts - WINDOW_BEFORE, 0)
    reach = np.maximum.accumulate(np.minimum(starts + WINDOW_AFTER, codes.size))
    first = np.flatnonzero(np.concatenate(([True], lo[1:] > reach[:-1])))
    last = np.concatenate((first[1:] - 1, [starts.size - 1]))
    return SEPARATOR.join(
        text[a:b] for a, b in zip(lo[first].tolist(), reach[last].tolist(), strict=True)
    )


class DigitWindowPattern:
    """A stand-in for one of htmldate's compiled patterns whose `findall` runs on
    the page's digit windows; anything else goes to the pattern itself."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern

    def findall(self, string: str) -> list:
        return self.pattern.findall(_windows_of(string))

    def __getattr__(self, name: str):
        return getattr(self.pattern, name)


# search_page runs its patterns one after another on the same page string.
_last: tuple[str, str] = ("", "")


def _windows_of(string: str) -> str:
    global _last
    seen, windows = _last
    if seen is not string:
        windows = digit_windows(string)
        _last = (string, windows)
    return windows


# htmldate's last whole-page pattern, month names written out (`regex_parse`): "June 19,
# 2024", "19th of June 2024", "SmithJune 19, 2024". Its year follows a space; before it,
# at most 7 characters after the month word (`month` form), or 10 characters and the
# month word after the day (`day2` form, where the word must be a month name, 9 letters
# at most, for the match to count). A window from YEAR_REACH characters before the
# year, widened to the start of the word it lands in, holds every match that counts.
YEAR_REACH = 32
_YEAR_AFTER_SPACE = re.compile(r" (?:199[0-9]|20[0-3][0-9])")
# Neither a word character, a space nor [,.]: no match starts, runs or ends across it.
YEAR_SEPARATOR = "\x00"
LONG_TEXT_SOURCE = (
    r"(?P<month>(?<![^\W\d_])[^\W\d_]{3,})\s(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?,? "
    r"(?P<year>(?:199[0-9]|20[0-3][0-9]))|(?P<day2>[0-3]?[0-9])(?:st|nd|rd|th|\.)? "
    r"(?:of )?(?P<month2>(?<![^\W\d_])[^\W\d_]{3,})[,.]? (?P<year2>(?:199[0-9]|20[0-3][0-9]))"
)


def _word_start(text: str, at: int) -> int:
    while at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_"):
        at -= 1
    return at


def year_windows(text: str) -> str:
    """The stretches of `text` that end in a year after a space, from YEAR_REACH
    characters before it (widened to a word's start), overlapping ones merged, joined
    by YEAR_SEPARATOR."""
    windows: list[list[int]] = []
    for match in _YEAR_AFTER_SPACE.finditer(text):
        lo = _word_start(text, max(match.start() - YEAR_REACH, 0))
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = match.end()
        else:
            windows.append([lo, match.end()])
    return YEAR_SEPARATOR.join(text[lo:hi] for lo, hi in windows)


def _regex_parse_on_year_windows(string: str):
    return _htmldates_regex_parse(year_windows(string))


_htmldates_regex_parse = core.regex_parse


def install() -> None:
    """Puts the stand-ins in htmldate's module, where search_page looks them up."""
    from htmldate import extractors

    own = extractors.LONG_TEXT_PATTERN
    if own.pattern == LONG_TEXT_SOURCE and own.flags == re.IGNORECASE | re.UNICODE:
        core.regex_parse = _regex_parse_on_year_windows
    else:
        LOGGER.debug("htmldate's LONG_TEXT_PATTERN is not the pattern checked here; left alone")
    for name, source in PATTERNS.items():
        current = getattr(core, name, None)
        if isinstance(current, DigitWindowPattern):
            continue
        if current is None or current.pattern != source or current.flags != re.UNICODE:
            LOGGER.debug("htmldate's %s is not the pattern checked here; left alone", name)
            continue
        setattr(core, name, DigitWindowPattern(current))
