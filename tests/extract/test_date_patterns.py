import random
import re

import pytest
from htmldate import core, extractors, find_date

import extract.metadata  # noqa: F401  (installs the digit-window patterns)
from extract.date_patterns import (
    PATTERNS,
    SEPARATOR,
    DigitWindowPattern,
    _htmldates_regex_parse,
    digit_windows,
)

# Pieces that make these patterns match, half-match and fail: dates in many layouts,
# digit runs long and short, the characters they are separated by, look-alikes of the
# look-behind ("w3.org"), Arabic-Indic digits (digits to \D, not to [0-9]) including
# the separator itself, and long stretches without digits that the windows drop.
PIECES = (
    "2024-06-19", "19/06/2024", "6/9/24", "19.06.24", "20240619", "2024/06", "06-2024",
    "1999", "2031", "2041", "12", "3", "0", "123456789", "31-12-1999", "w3.org/", "w3Xorg",
    "/", ".", "-", " ", "\n", "_", "©", "\u0660", "\u0663\u0664", "x", "ي", "<p>",
    'class="date"', "Copyright ", "June 19, 2024", "&copy;",
)


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 60)):
        if rng.random() < 0.1:
            parts.append(rng.choice("ab \n<>=\"") * rng.randint(1, 40))
        else:
            parts.append(rng.choice(PIECES))
    return "".join(parts)


def htmldates_own() -> dict[str, re.Pattern]:
    return {name: getattr(core, name).pattern for name in PATTERNS}


def test_every_whole_page_pattern_of_htmldate_runs_on_digit_windows():
    """Fails when an htmldate upgrade rewrites one of these patterns: it is then left
    alone (correct but slow) until its matches are checked against the windows."""
    assert all(isinstance(getattr(core, name), DigitWindowPattern) for name in PATTERNS)


def test_matches_on_the_windows_are_htmldates_matches_on_the_whole_text():
    rng = random.Random(7)
    texts = [random_text(rng) for _ in range(4000)]
    for name, pattern in htmldates_own().items():
        windowed = DigitWindowPattern(pattern)
        for text in texts:
            assert windowed.findall(text) == pattern.findall(text), (name, text)


def test_windows_keep_text_near_digits_and_drop_the_rest():
    text = "a" * 100 + "on 2024-06-19 at" + "b" * 100 + "2023" + "c" * 100
    windows = digit_windows(text)
    # 8 characters before each run's first digit, 16 from it on; "19" starts at 111
    assert windows.split(SEPARATOR) == ["aaaaaon 2024-06-19 at" + "b" * 11,
                                        "bbbbbbbb2023cccccccccccc"]
    assert digit_windows("no digits at all") == ""
    assert digit_windows("") == ""
    assert digit_windows("7") == "7"
    # a lone surrogate (from a badly decoded page) neither fails nor shifts the windows
    assert digit_windows("\udcff" * 20 + "1999") == "\udcff" * 8 + "1999"


def random_undated_page(rng: random.Random) -> str:
    """Pages whose markup says nothing about their date, so that htmldate falls back
    to searching the whole page text."""
    paragraphs = "".join(f"<p>{random_text(rng)}</p>" for _ in range(rng.randint(1, 6)))
    return f"<html><body><div>{paragraphs}</div></body></html>"


def test_whole_page_search_finds_the_date_htmldates_own_patterns_find(monkeypatch):
    rng = random.Random(11)
    pages = [random_undated_page(rng) for _ in range(400)]
    windowed = [find_date(page, extensive_search=True) for page in pages]
    for name, pattern in htmldates_own().items():
        monkeypatch.setattr(core, name, pattern)
    assert windowed == [find_date(page, extensive_search=True) for page in pages]
    # and the pages do reach the whole-page patterns, with dates and without
    assert sum(date is not None for date in windowed) > 100
    assert sum(date is None for date in windowed) > 10


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_pattern_htmldate_has_changed_is_left_alone(monkeypatch, name):
    from extract import date_patterns

    changed = re.compile(PATTERNS[name] + "?")
    monkeypatch.setattr(core, name, changed)
    date_patterns.install()
    assert getattr(core, name) is changed


# Pieces of dates written with month names, and of what surrounds them: months in
# several languages and cases, glued to a name ("SmithJune"), inside long words, after
# and before digit runs, with ordinals, "of", commas, dots, spaces and newlines.
MONTH_PIECES = (
    "June", "june", "JUNE", "juin", "Juni", "Haziran", "septembre", "Sept", "Mar", "May",
    "SmithJune", "Junexyz", "notamonth", "Décembre", "ılık", "İ", "19", "5", "31", "119",
    "2024", "1999", "2031", "20245", "12024", "st", "nd", "th", "of ", " ", " ", " ", "\n",
    ",", ".", "-", "_", "a" * 40, "\u0660", "\x00", "<p>", "é",
)


def random_month_text(rng: random.Random) -> str:
    def pick(*options: str) -> str:
        return rng.choice(options)

    parts = []
    for _ in range(rng.randint(0, 40)):
        month, day = rng.choice(MONTH_PIECES[:16]), pick("19", "5", "31", "119", "0", "")
        year = pick("2024", "1999", "2031", "20245", "12024", "2024")
        if rng.random() < 0.2:  # near-dates in both of the pattern's forms
            parts.append(pick(
                f"{month}{pick(' ', chr(10), '')}{day}{pick('st', 'th', '')}"
                f"{pick(',', '')}{pick(' ', '')}{year}",
                f"{day}{pick('th', '.', '')} {pick('of ', '')}{month}{pick(',', '.', '')}"
                f"{pick(' ', '')}{year}"))
        else:
            parts.append(rng.choice(MONTH_PIECES))
    return "".join(parts)


def test_month_name_dates_are_read_from_year_windows_as_from_the_whole_text():
    """htmldate's whole-page search for "June 19, 2024" and "19 juin 2024" runs on the
    text before each year only; the date it reads must be the one it reads on the
    whole text."""
    rng = random.Random(5)
    texts = [random_month_text(rng) for _ in range(10000)]
    found = [_htmldates_regex_parse(text) for text in texts]
    assert [core.regex_parse(text) for text in texts] == found
    assert sum(date is not None for date in found) > 1000
    # and so must the dates after the first: read from every suffix of a text
    for text in texts[:300]:
        for start in range(len(text)):
            assert core.regex_parse(text[start:]) == _htmldates_regex_parse(text[start:])


def test_a_month_name_pattern_htmldate_has_changed_is_left_alone(monkeypatch):
    from extract import date_patterns

    changed = re.compile(extractors.LONG_TEXT_PATTERN.pattern + "?", re.I)
    monkeypatch.setattr(extractors, "LONG_TEXT_PATTERN", changed)
    monkeypatch.setattr(core, "regex_parse", _htmldates_regex_parse)
    date_patterns.install()
    assert core.regex_parse is _htmldates_regex_parse
