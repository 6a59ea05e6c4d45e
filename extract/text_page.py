"""Rendered-text pages: keep the article body, drop the page chrome around it.

A jusText-style classifier over lines: each line is first judged on its own (length,
stop-word density in its language, chrome patterns), then short and borderline lines
take their class from the nearest confidently judged neighbours, so a subheading between
two body paragraphs stays and a caption above the first one goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from itertools import accumulate

from extract.chrome import (
    COMMENT_BY,
    COMMENT_DATE,
    COMMENTS_HEADER,
    DISCLAIMER,
    RELATED,
    SOURCE_LINE,
    TEASER,
    ends_article,
    furniture,
    is_chrome,
)
from extract.dates import line_dates, parse_date_line
from extract.language import identify_language, stoplist
from extract.reflow import reflowed
from extract.repeats import without_repeated_runs
from extract.text_header import (
    STORY_OPENING_LINES,
    about_the_story,
    byline_in,
    byline_name,
    headline_like,
    longest_title,
    name_beside_date,
    story_start,
    title_index,
)
from extract.trailing import without_author_bio, without_end_matter
from extract.words import SENTENCE_END, count_words, line_length

_WORD = re.compile(r"\w+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_BULLET = re.compile(r"^[•·▪►*\-–—]\s+")
# "Name - City - Wednesday 19 June 2024 08:28 PM - " opening the first paragraph.
_DATELINE = re.compile(r"^(?P<parts>(?:[^-–—\n]{2,60}\s[-–—]\s){1,3})(?P<rest>\S.*)$")

# jusText's thresholds, in characters and stop-word share.
LENGTH_LOW, LENGTH_HIGH = 70, 150
STOPWORDS_LOW, STOPWORDS_HIGH = 0.20, 0.30
# More short lines than this in a row are a list of links or of other stories'
# headlines (with their bylines and dates), not a passage of the story, even between two
# of its paragraphs: a page's "latest news" column sits between prose blocks too.
MAX_SHORT_RUN = 10
# An end-of-article marker ends the article only after this many body lines: a cookie
# notice above the story is one line of prose, and a "Source:" or "Tags:" line under
# its picture would end it before it began.
END_AFTER_GOOD_LINES = 2


class LineClass(Enum):
    GOOD = "good"
    NEAR_GOOD = "near_good"
    SHORT = "short"
    BAD = "bad"
    # A "read more" header and the headlines of its box, or a teaser ("Read more: a
    # headline" on one line): never kept, and not there for
    # the lines around it, since sites put these boxes between two paragraphs of the
    # body (the paragraph above one is body, though its neighbour is the box).
    RELATED = "related"


@dataclass(frozen=True)
class TextPageResult:
    text: str
    title: str | None
    published_at: datetime | None
    author: str | None
    language: str | None
    lines_total: int
    lines_dropped: int


def clean_lines(text: str) -> list[str]:
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in text.split("\n"))
    return [line for line in lines if line]


def stop_density(line: str, stops: frozenset[str]) -> float:
    words = _WORD.findall(line.lower())
    return sum(w in stops for w in words) / len(words) if words else 0.0


def classify_line(line: str, stops: frozenset[str]) -> LineClass:
    """Judge a line on its own, before context."""
    if is_chrome(line):
        return LineClass.BAD
    words = _WORD.findall(line.lower())
    if not words:
        return LineClass.BAD
    length = line_length(line)
    if length < LENGTH_LOW:
        return LineClass.SHORT
    # Without a stoplist for the language, length alone decides.
    density = stop_density(line, stops) if stops else STOPWORDS_HIGH
    if density < STOPWORDS_LOW:
        return LineClass.BAD
    if length >= LENGTH_HIGH and density >= STOPWORDS_HIGH:
        return LineClass.GOOD
    return LineClass.NEAR_GOOD


def _neighbours(classes: list[LineClass], skip: set[LineClass]) -> tuple[list, list]:
    """For each line, the class of the nearest line before it and after it that is not
    in `skip` (BAD past either end). One pass each way: a page of thousands of short
    lines would make a walk from every line quadratic (96 s for 20,000 of them)."""
    before, after = [LineClass.BAD] * len(classes), [LineClass.BAD] * len(classes)
    last = LineClass.BAD
    for i, cls in enumerate(classes):
        before[i] = last
        if cls not in skip:
            last = cls
    last = LineClass.BAD
    for i in range(len(classes) - 1, -1, -1):
        after[i] = last
        if classes[i] not in skip:
            last = classes[i]
    return before, after


def promote_when_no_good(
    classes: list[LineClass], lines: list[str], stops: frozenset[str]
) -> list[LineClass]:
    """A page of short paragraphs (wire copy, terse Arabic news) has no line long enough
    to be GOOD, and jusText would keep nothing. There the near-good lines rich in
    function words anchor the body instead; failing those, or in a language without a
    stoplist (Chinese, Japanese, Thai), all near-good lines."""
    if LineClass.GOOD in classes:
        return classes
    out = list(classes)
    for i, (cls, line) in enumerate(zip(classes, lines, strict=True)):
        if cls is LineClass.NEAR_GOOD and stops and stop_density(line, stops) >= STOPWORDS_HIGH:
            out[i] = LineClass.GOOD
    if LineClass.GOOD not in out:
        # Not even that: a page of figures (prices, results, a timetable) writes its
        # sentences around numbers, with few function words. Its near-good lines are
        # still its best, and keeping them beats losing the page.
        out = [LineClass.GOOD if cls is LineClass.NEAR_GOOD else cls for cls in out]
    return out


def resolve_context(classes: list[LineClass]) -> list[bool]:
    """Which lines are body after looking at their neighbours (jusText's second pass)."""
    firm = list(classes)
    prev, nxt = _neighbours(classes, {LineClass.SHORT, LineClass.NEAR_GOOD, LineClass.RELATED})
    for i, cls in enumerate(classes):
        if cls is LineClass.NEAR_GOOD:
            good = LineClass.GOOD in (prev[i], nxt[i])
            firm[i] = LineClass.GOOD if good else LineClass.BAD
    keep = [cls is LineClass.GOOD for cls in firm]
    prev, nxt = _neighbours(firm, {LineClass.SHORT, LineClass.RELATED})
    for i, cls in enumerate(firm):
        if cls is LineClass.SHORT:
            keep[i] = prev[i] is LineClass.GOOD and nxt[i] is LineClass.GOOD
    for run in _short_runs(firm):
        if len(run) > MAX_SHORT_RUN:
            for i in run:
                keep[i] = False
    return keep


def _short_runs(classes: list[LineClass]) -> list[range]:
    runs, start = [], None
    for i, cls in enumerate([*classes, LineClass.BAD]):
        if cls is LineClass.SHORT and start is None:
            start = i
        elif cls is not LineClass.SHORT and start is not None:
            runs.append(range(start, i))
            start = None
    return runs


# How far below a source line other end matter (tags, a disclaimer) is looked for.
END_MATTER_LINES = 3


def _source_ends(lines: list[str], good_chars: list[int], i: int) -> bool:
    """Whether line i is a source line that closes the story (`SOURCE_LINE`).
    `good_chars[j]`: characters of the GOOD lines before line j (one more entry than
    lines), so that a page of many source lines stays linear."""
    if not SOURCE_LINE.search(lines[i]):
        return False
    if any(ends_article(line) for line in lines[i + 1 : i + 1 + END_MATTER_LINES]):
        return True
    before, after = good_chars[i], good_chars[-1] - good_chars[i + 1]
    return after < before


# A comment's date and time, in either order: "December 19, 2025, 10:49 am".
_COMMENT_STAMP = re.compile(
    r"\b(?:19|20)\d\d\b.{0,20}\b\d{1,2}:\d\d\b|\b\d{1,2}:\d\d\b.{0,40}\b(?:19|20)\d\d\b")
# How far apart two readers' comments may start for their names to be a thread.
COMMENT_GAP = 30
NAME_MAX_WORDS = 3


def _name_over_stamp(lines: list[str], i: int) -> bool:
    """A reader's name on a line of its own above the date and time of the comment
    ("Carl" / "December 19, 2025, 10:49 am")."""
    line = lines[i]
    return (i + 1 < len(lines) and count_words(line) <= NAME_MAX_WORDS
            and not line.lower().startswith("by ")
            and not any(c.isdigit() for c in line) and not SENTENCE_END.search(line)
            and len(lines[i + 1]) <= 60 and bool(_COMMENT_STAMP.search(lines[i + 1])))


def _comment_starts(lines: list[str], i: int) -> bool:
    """Whether line i heads a reader's comment: Slashdot's "by NAME ( n ) writes:" by
    itself, a "says:" line only above the comment's date (`COMMENT_BY`), and a bare name
    above a date and time only where another follows within `COMMENT_GAP` lines."""
    if COMMENT_BY.search(lines[i]):
        return lines[i].startswith("by ") or (
            i + 1 < len(lines) and bool(COMMENT_DATE.match(lines[i + 1])))
    # The comment itself under the first: a column of other stories runs headline, "By
    # NAME", date and time, and the story goes on under it.
    return (_name_over_stamp(lines, i) and i + 2 < len(lines)
            and line_length(lines[i + 2]) >= LENGTH_LOW and any(
                _name_over_stamp(lines, j)
                for j in range(i + 3, min(len(lines), i + COMMENT_GAP))))


# A sentence's last mark, quotes and brackets after it aside.
_FULL_STOP = re.compile(r"[.!?؟。…](?:[\s\"'”’»)\]]*)$")


def _apply_markers(
    lines: list[str], classes: list[LineClass], stops: frozenset[str]
) -> list[LineClass]:
    """Related-headline boxes and end-of-article markers override the line's own class.
    A box ends at the first line written as prose (headlines have few function words):
    a GOOD line, or a near-good one as rich in function words as a GOOD one."""
    out = list(classes)
    good = [len(line) if cls is LineClass.GOOD else 0
            for line, cls in zip(lines, classes, strict=True)]
    good_chars = list(accumulate(good, initial=0))
    seen_body = seen_prose = 0
    in_related = False
    for i, line in enumerate(lines):
        ends = ends_article(line)
        if (seen_body >= END_AFTER_GOOD_LINES and (
                ends or _source_ends(lines, good_chars, i) or _comment_starts(lines, i))) or (
                seen_prose >= END_AFTER_GOOD_LINES and ends
                and not COMMENTS_HEADER.search(line)) or (
                seen_body and DISCLAIMER.search(line)):
            out[i:] = [LineClass.BAD] * (len(lines) - i)
            break
        if RELATED.search(line):
            out[i] = LineClass.RELATED
            in_related = True
            continue
        if TEASER.search(line):  # a box of one headline, between two paragraphs
            out[i] = LineClass.RELATED
            continue
        if in_related:
            # (a headline can be as rich in function words, but ends in no full stop:
            # "Taylor Swift, Star Wars, and Deadpool have one man in common")
            prose = classes[i] is LineClass.GOOD or (
                classes[i] is LineClass.NEAR_GOOD and bool(stops)
                and stop_density(line, stops) >= STOPWORDS_HIGH
                and bool(_FULL_STOP.search(line)))
            if prose:
                in_related = False
            else:
                out[i] = LineClass.RELATED
        seen_body += classes[i] is LineClass.GOOD
        # A story of one long paragraph and short ones has begun by its second line of
        # prose: its tags, disclaimer or copyright under it end it (a second article
        # often follows them). Not a comments header: "12 Comments" also links to them
        # from under a story's first paragraph. Short prose before any GOOD line is as
        # often a menu's blurbs. Tags can also stand under a standfirst, above the
        # story (Mises: "Tags:" "Philosophy" a date and a byline); a disclaimer cannot,
        # so it ends a story of a single paragraph.
        seen_prose += classes[i] is LineClass.GOOD or (
            seen_body > 0 and classes[i] is LineClass.NEAR_GOOD and bool(stops)
            and stop_density(line, stops) >= STOPWORDS_HIGH)
    return out


def _split_dateline(
    paragraph: str, language: str | None
) -> tuple[str, datetime | None, str | None]:
    """Strip a 'Byline - Place - Date - ' prefix off the first paragraph into metadata."""
    m = _DATELINE.match(paragraph)
    if not m:
        return paragraph, None, None
    parts = [p.strip(" -–—") for p in re.split(r"\s[-–—]\s", m.group("parts")) if p.strip(" -–—")]
    dates = [d for p in parts if (d := parse_date_line(p, language))]
    if not dates:
        return paragraph, None, None
    author = parts[0] if parse_date_line(parts[0], language) is None and len(parts) > 1 else None
    return m.group("rest"), dates[0], author


# How far above the story a byline is looked for: further up are menus ("By Use Case").
BYLINE_ABOVE_BODY = 6
# The lines under the story's start where its byline can still stand, and those above
# its headline where a name beside the date can.
BYLINE_UNDER_START = 5
NAME_ABOVE_HEADLINE = 3
DATES_ABOVE_STORY = 80


# Every way a text breaks its lines, as str.splitlines knows them: a file saved by an old
# Mac (CR), or exported with Unicode's line and paragraph separators, broke nowhere
# else, and its lines ran into one (its headline and chrome kept as story).
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def extract_text_page(text: str, language: str | None = None) -> TextPageResult:
    lines = clean_lines(reflowed(_LINE_BREAK.sub("\n", text)))
    # A copied page has a line per block, not blank lines between paragraphs: joined as
    # paragraphs, its lines of prose decide the language, not the menu above them.
    language = language or identify_language("\n\n".join(lines))
    stops = stoplist(language)
    lines_unbulleted = [_BULLET.sub("", line) for line in lines]
    classes = [classify_line(line, stops) for line in lines_unbulleted]
    # Promoted first: on a page of short paragraphs the end markers count its lines as
    # the story's, or they would never close it.
    classes = promote_when_no_good(classes, lines_unbulleted, stops)
    classes = _apply_markers(lines_unbulleted, classes, stops)
    keep = resolve_context(classes)

    first = next((i for i, k in enumerate(keep) if k), len(lines))
    header = lines[:first]
    start = story_start(lines, keep)
    at = title_index(lines, first, start, language)
    title = lines[at] if at is not None else longest_title(header)
    # A page that opens with its headline, right above the story (a feed item's title
    # line, a copied article), has nothing above the story: the headline passes for the
    # story's first short paragraph. A sentence would end like one.
    if title is None and sum(keep) > 1 and headline_like(lines[first]):
        at, title = first, lines[first]
    # Nothing above the headline is the story (lines kept there are a menu's blurbs), and
    # between it and the story's prose stand its byline, date, reading time and labels.
    top = at + 1 if at is not None else 0
    about = {i for i in range(top, start) if keep[i] and about_the_story(lines[i], language)}
    body = [line for line in without_end_matter(without_repeated_runs(
        [lines[i] for i in range(top, len(lines)) if keep[i] and i not in about]))
        if not furniture(line)]
    metadata = [lines[i] for i in sorted(about)]
    above = [*header, *metadata]
    # The date is read in all the page holds above the story but its text: a menu's
    # blurbs kept high on the page leave the date, headline and byline under them out of
    # `header`. A date on the page's very first line is the site's "today" in its top
    # bar, not the article's date. Further up than `DATES_ABOVE_STORY` lines are
    # archives and calendars, each line a dateparser call.
    above_story = [lines[i] for i in range(start) if i < top or not keep[i] or i in about]
    dated_above = (above_story[1:] if len(above_story) > 1 else above_story)[
        -DATES_ABOVE_STORY:]
    found = [line_dates(line, language) for line in dated_above]
    # The publication date nearest the story; a page that shows only when it was last
    # updated is dated by that.
    dates = [p for p, _ in found if p] or [u for _, u in found if u]
    # The byline stands between the headline and the story (its label and the name may
    # be two lines, with an editor's and a reviewer's under them), or a few lines into a
    # story whose standfirst was taken for its first paragraph. A name without a label
    # is one beside a date, around the headline. Failing those: the header's last
    # lines, or the story's first line.
    byline = None
    if at is not None:
        under = [lines[i] for i in range(start, min(len(lines), start + BYLINE_UNDER_START))
                 if not keep[i]]
        byline = byline_in([*lines[at + 1 : start], *under]) or name_beside_date(
            # (the headline is no name, but stands between the name and a date)
            [*lines[max(0, at - NAME_ABOVE_HEADLINE) : at], "", *lines[at + 1 : start], *under],
            language,
            lines[start : start + STORY_OPENING_LINES])
    byline = byline or byline_in(above[-BYLINE_ABOVE_BODY:])
    if byline is None and len(body) > 1 and (name := byline_name(body[0])):
        byline, body = name, body[1:]
    author = None
    published = dates[-1] if dates else None
    if body:
        body[0], dateline_date, author = _split_dateline(body[0], language)
        published = dateline_date or published
    author = author or byline
    body = without_author_bio(body, author)
    return TextPageResult(
        text="\n\n".join(body),
        title=title,
        published_at=published,
        author=author,
        language=language,
        lines_total=len(lines),
        # The headline left the text to become the title: metadata, not boilerplate.
        lines_dropped=len(lines) - len(body) - (title is not None),
    )
