"""What sits above a rendered-text page's story: its headline and its byline.

A copied page runs menu, breadcrumb, headline, then the story's metadata (byline, date,
reading time, share counts, a standfirst) and only then the story. The headline is
found by where it stands, not by how long it is: the longest headline-like line of a
header is as often a menu's teaser or the newsletter box's pitch.
"""

from __future__ import annotations

import re

from extract.byline import PERSON
from extract.chrome import ADDRESSED, CALL_TO_ACTION, RELATED, TEASER, is_chrome
from extract.dates import date_in_line
from extract.language import stoplist
from extract.words import SENTENCE_END, UNSPACED, count_words, line_length

_WORD = re.compile(r"\w+")
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 3, 30
# jusText's "long line", in characters: longer is a paragraph, not a headline.
HEADLINE_MAX_LENGTH = 150


def headline_like(line: str) -> bool:
    """A line that reads as a headline: a few words, no sentence's end, not chrome."""
    words = count_words(line)
    # A character of Chinese or Japanese counts as a word: there the length alone caps
    # a headline (34 characters are a headline's, not a sentence's).
    return (words >= HEADLINE_MIN_WORDS
            and (words <= HEADLINE_MAX_WORDS or bool(UNSPACED.search(line)))
            and line_length(line) <= HEADLINE_MAX_LENGTH
            and not SENTENCE_END.search(line)
            and not is_chrome(line) and not RELATED.search(line))


# A byline on a line of its own: "By Jane Doe", "كتب - محمد الصاوي:", "بقلم: …".
_BYLINE = re.compile(
    r"^(?:by|written by|كتب|كتبت|بقلم|إعداد|اعداد)(?:\s*[:\-–—ـ]\s*|\s+)"
    r"(?P<name>[^\W\d_][\w.'’\- ]{1,40}?)\s*:?$", re.I)
BYLINE_MAX_WORDS = 4


# The label opening a byline that goes on after the name: "By Chris McNamara ⋅ Founder
# and Editor-in-Chief ⋅ Updated May 6, 2025", "By Lizzie Streit, MS, RDN", "Written by:
# Sean Peek, Senior Analyst", "Posted by Jane Doe | June 3, 2024".
_LABELLED = re.compile(
    r"^(?:(?:by|written by|posted by|published by|words by|author|كتب|كتبت|بقلم)\b|(?-i:By)"
    r"(?=[A-Z][a-z]))\s*[:\-–—ـ]?\s*(?P<rest>\S.*)$", re.I)
# Where the name ends: at a separator, a figure, a preposition, or (in text copied
# from separate elements, glued) a capitalised word run into it: "Korin
# MillerPublished: Jan 29, 2025", "Jane DoeMarch 3".
_NAME_ENDS = re.compile(
    r"\s*(?:[•⋅·|,;(]|\s[-–—]\s|\d|\s(?:on|in|at|for)\s|"
    r"(?<=[a-z])(?=[A-Z][a-z]+\s*\d)|(?<=[a-z])(?=(?:Published|Updated|Posted|Last|Reviewed)\b)).*$")


# A word in lower case longer than a name's particles (de, van, bin, al): "Last updated
# on" under a lone "Written by" label is no name.
_LOWER_WORD = re.compile(r"(?<!\S)[a-z]{4,}\b")


def byline_name(line: str) -> str | None:
    """The name a byline line gives: two to four words after the label ("By Reuters" is
    an agency, not a person; a longer run is a sentence: "كتب الرئيس على حسابه في تويتر"),
    up to what follows the name on the same line (a job title, a date)."""
    m = _BYLINE.match(line) or _LABELLED.match(line)
    if m is None:
        return None
    name = m.group("name") if "name" in m.re.groupindex else _NAME_ENDS.sub("", m.group("rest"))
    name = name.strip()
    # "By our engineering team": a person's name is written with capitals where the
    # script has them.
    if (2 <= count_words(name) <= BYLINE_MAX_WORDS and _BYLINE.match(f"by {name}")
            and not name[0].islower() and not _LOWER_WORD.search(name)):
        return name
    return None


# A byline's label on a line of its own, the name on the next: "By" / "Liam Austin".
_LABEL_ALONE = re.compile(r"^(?:by|written by|posted by|author|بقلم|كتب|كتبت)\s*[:\-–—]?$", re.I)


def byline_in(lines: list[str]) -> str | None:
    """The byline's name among lines above a story, the nearest to it first."""
    for i in range(len(lines) - 1, -1, -1):
        if name := byline_name(lines[i]):
            return name
        if (i + 1 < len(lines) and _LABEL_ALONE.match(lines[i])
                and (name := byline_name(f"by {lines[i + 1]}"))):
            return name
    return None


NAME_STOPWORD_MAX_CHARS = 3


def name_beside_date(lines: list[str], language: str | None, story: list[str]) -> str | None:
    """A byline without its label: a person's name on its own line, right above or
    under a date ("Andrew King" / "September 4, 2025"), the nearest to the story first.
    Only in scripts with capitals, which tell a name from a section's label; and not
    where it speaks to the reader ("Share Article"), or where one of its words is a
    short function word ("Log In", "Table of Contents"; the stoplists' longer words
    include "king" and "law") or is written in lower case in the story's opening
    (`story`): "Cleaning Industry Trends" is the story's category."""
    common = {w for w in stoplist(language) if len(w) <= NAME_STOPWORD_MAX_CHARS} | {
        w for w in _WORD.findall(" ".join(story)) if w.islower()}
    for i in range(len(lines) - 1, -1, -1):
        if (PERSON.match(lines[i]) and count_words(lines[i]) <= BYLINE_MAX_WORDS
                and not byline_name(lines[i]) and not ADDRESSED.search(lines[i])
                and common.isdisjoint(_WORD.findall(lines[i].casefold()))
                and any(dated(lines[j], language) for j in (i - 1, i + 1) if 0 <= j < len(lines))):
            return lines[i]
    return None


# A credit line under the headline names the wire the story came from ("Yemen Freedom -
# Associated Press", "REUTERS", "(أ ف ب)"): a few words, one of them a news agency.
_AGENCY = re.compile(
    r"\b(?:reuters|associated press|ap|afp|agence france[- ]presse|dpa|efe|ansa|xinhua|"
    r"anadolu|sputnik|tass|kyodo|yonhap|upi|pti|ians)\b|"
    r"رويترز|أسوشيتيد برس|أسوشيتد برس|اسوشيتد برس|فرانس برس|فرانس بريس|الأناضول|"
    r"سبوتنيك|شينخوا|يونهاب|\(أ ?ف ?ب\)|\(د ?ب ?أ\)|риа новости|интерфакс", re.I)
CREDIT_MAX_WORDS = 5


def credit(line: str) -> bool:
    return count_words(line) <= CREDIT_MAX_WORDS and bool(_AGENCY.search(line))


# "03/04/2020", "2025.12.17", "11:36": no headline is written with these.
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|\d{1,2}:\d\d)(?!\d)")


def dated(line: str, language: str | None) -> bool:
    """A line about the story rather than its name: it carries a date ("Last Updated:
    Dec 17, 2025 • 5 min read", "September 1st, 2023 By Emily Norwood"). A year alone is
    a headline's ("The 12 Best Running Shoes of 2026")."""
    return bool(_NUMERIC_DATE.search(line)) or date_in_line(line, language) is not None


# A headline cut short ("…أسهم البنوك الكو...") ends in dots that end no sentence.
_CUT_SHORT = re.compile(r"(?<=\w)(?:\.\.\.|…)$")


# A menu or a breadcrumb: short parts between separators ("Home | News | World",
# "الارشيف / عرب وعالم"), or a trail ending in the headline ("Home » Blog » The
# headline"), which names it but is not it. "Site | The headline" is a headline.
_SEPARATOR = re.compile(r"\s*[|»›>/•·]\s*")
CRUMB_PART_MAX_WORDS = 3


def crumbs(line: str) -> bool:
    parts = [part for part in _SEPARATOR.split(line) if part]
    short = [count_words(p) <= CRUMB_PART_MAX_WORDS for p in parts]
    return len(parts) >= 2 and (all(short) or (len(parts) >= 3 and all(short[:-1])))


def _may_be_title(line: str, language: str | None) -> bool:
    return (headline_like(_CUT_SHORT.sub("", line)) and not crumbs(line) and not byline_name(line)
            and not dated(line, language) and not credit(line)
            and not (CALL_TO_ACTION.search(line) and ADDRESSED.search(line)))


# A line under the headline that is about the story: its byline, its date, or a label
# of a few words ("5 min read", "Consulting", "Share"). A longer line with a date in it
# is the story's first paragraph.
LABEL_MAX_WORDS = 3
DATED_MAX_WORDS = 12


def about_the_story(line: str, language: str | None) -> bool:
    words = count_words(line)
    return (words <= LABEL_MAX_WORDS or byline_name(line) is not None
            or (words <= DATED_MAX_WORDS and dated(line, language)))


PARAGRAPH_CHARS, PARAGRAPH_GAP = 100, 4
# More than this share of the kept text above that first paragraph is the story's own.
SKIPPED_SHARE = 0.5


def story_start(lines: list[str], keep: list[bool]) -> int:
    """Where the story's prose begins: the first kept line long enough to be a
    paragraph with another within the next few lines. A menu's one-line descriptions
    ("Learn more about our degree programs in health sciences.") can be kept above it,
    and the headline sits above the prose, not above them."""
    first = next((i for i, k in enumerate(keep) if k), len(lines))
    for i in range(first, len(lines)):
        if keep[i] and len(lines[i]) >= PARAGRAPH_CHARS and any(
                keep[j] and len(lines[j]) >= PARAGRAPH_CHARS
                for j in range(i + 1, min(len(lines), i + 1 + PARAGRAPH_GAP))):
            break
    else:
        return first
    # Blurbs are a few lines. Where much of what was kept lies above that line, the
    # story began above it: in short paragraphs, or between the items of a list.
    kept = [len(line) if k else 0 for line, k in zip(lines, keep, strict=True)]
    skipped = sum(kept[first:i])
    return first if skipped > SKIPPED_SHARE * sum(kept) else i


# How far above the story's start the headline is looked for, and what a line's
# standing as headline is made of (in words): its length up to a cap, less its distance
# from the story, plus the page naming it twice (the headline and a breadcrumb ending in
# it) and metadata right under it (a byline or a date). A guide's header can hold its
# sharing buttons, contents and writers' cards: at 20 lines, 47 rendered WCXB pages had
# their headline beyond reach and took a nearer label (titles 0.537 -> 0.544 at 30,
# none lost; 40 finds no more).
TITLE_WINDOW = 30
TITLE_WORDS_CAP = 12
TITLE_DISTANCE_COST = 0.5
TITLE_REPEATED = 4.0
TITLE_ABOVE_METADATA = 4.0
METADATA_BELOW = 3
# The story's opening lines, in which its headline's words recur.
STORY_OPENING_LINES = 30


def words_of(text: str) -> set[str]:
    """The text's words, case-folded; in scripts written without spaces (CJK, Thai), a
    run of letters is a phrase, and its pairs of characters stand for its words."""
    words = set()
    for run in _WORD.findall(text.casefold()):
        if UNSPACED.search(run):
            words.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            words.add(run)
    return words
# A story this close to the page's top, or a first line alone above the first kept one,
# means no site header: a feed item or a copied article, whose first line is its
# headline, and the next may be a standfirst that reads as one too.
NO_HEADER_LINES = 3


def _named_again(line: str, others: list[str]) -> bool:
    """Whether another line is this one, or ends in it after a separator (a breadcrumb:
    "Home » Blog » The headline")."""
    return sum(o == line for o in others) > 1 or any(
        len(o) > len(line) and o.endswith(line) and not o[-len(line) - 1].isalnum()
        for o in others)


def title_index(lines: list[str], first: int, start: int, language: str | None) -> int | None:
    """The headline's line among the `TITLE_WINDOW` lines above `start` (the story's
    first line), if one reads as a headline and is not a byline, a date or a credit."""
    if (0 < start <= NO_HEADER_LINES or first == 1) and _may_be_title(lines[0], language):
        return 0
    low = max(0, start - TITLE_WINDOW)
    folded = [" ".join(line.casefold().split()) for line in lines[:start]]
    # A headline names what its story is about: a line sharing no word but function
    # words with the story's opening (a cookie notice, a menu's pitch, a sidebar's
    # headline) is one only where no other line is.
    stops = stoplist(language)
    story = words_of(" ".join(lines[start : start + STORY_OPENING_LINES])) - stops
    best, best_score = None, (False, 0.0)
    for i in range(low, start):
        if not _may_be_title(lines[i], language):
            continue
        score = (min(count_words(lines[i]), TITLE_WORDS_CAP)
                 - TITLE_DISTANCE_COST * (start - i))
        if _named_again(folded[i], folded):
            score += TITLE_REPEATED
        if any(byline_name(below) or dated(below, language)
               for below in lines[i + 1 : min(start, i + 1 + METADATA_BELOW)]):
            score += TITLE_ABOVE_METADATA
        related = not words_of(folded[i]).isdisjoint(story)
        if best is None or (related, score) > best_score:
            best, best_score = i, (related, score)
    return best


def longest_title(header: list[str]) -> str | None:
    """A header without a headline-like line near the story may still name it in a line
    that does not read as one (a headline ending in a colon, or cut short with "..."):
    the line the header repeats, else its longest line of five words or more."""
    candidates = [
        line for line in header
        if not is_chrome(line) and not RELATED.search(line) and not TEASER.search(line)
        and count_words(line) >= 5
    ]
    for line in candidates:
        if header.count(line) > 1:
            return line
    return max([line for line in candidates if headline_like(line)] or candidates,
               key=len, default=None)
