"""Hard-wrapped text back into paragraphs.

Plain-text news (a wire service's or a newsroom's email, a press release, a mailing
list's archive, a `.txt` page, a blog that breaks its lines) is often wrapped at a fixed
column, 64-80 characters: every paragraph arrives as several lines, each too short to
read as prose, so the line classifier drops the story line by line, and what it keeps
comes out a line per paragraph. A line was wrapped, not ended, when the next line's first
word would not have fitted after it within the column: the test text editors and
mail readers use to reflow such text.
"""

from __future__ import annotations

import re

from extract.words import UNSPACED

# Columns hard-wrapped text is set at; a line longer than the widest is a paragraph of
# its own, and a page mostly of such lines is not hard-wrapped.
WRAP_MIN_COLUMN = 40
WRAP_MAX_COLUMN = 100
# A page is taken as hard-wrapped only when at least this many of its lines are wrapped
# ones, and its lines in the wrapping range outnumber its longer lines this many times.
MIN_WRAPPED_LINES = 6
WRAPPED_TO_LONG = 3
# The wrapping column is read as this quantile of the lengths in the range: a headline
# or a menu line longer than the column (up to WRAP_MAX_COLUMN) does not move it.
COLUMN_QUANTILE = 0.9
# A wrapper fills each line greedily, so a wrapped line ends within a long word's length
# of the column; menus and columns of headlines on a copied page have lines of any
# length in the range, and most of them start with a capital. Wrapped lines must be
# this close to the column, and (where the script has case) the lines they continue
# on must mostly start in lower case, as the middle of a sentence does.
MAX_SLACK = 12
MIN_LOWER_SHARE = 0.5
# And at least one paragraph must run over this many wrapped lines in a row (four lines
# or more): a page that breaks its lines at sentences or links (<br> between them, code
# between paragraphs) has wrapped-looking pairs, not runs.
MIN_RUN = 3
_ITEM_STARTS = ("- ", "* ", "• ", "· ", "> ")
# A line that ends a sentence, above one that starts with a capital, may be a
# paragraph's last line that happened to be nearly full: taken as a paragraph's end (a
# paragraph cut in two at a sentence is still its sentences; two run together are not).
# A line that introduces what follows (a list, a quote, a code block: "copies the contents
# of one file to the other:") or is code itself ends where it ends.
_BLOCK_ENDS = (":", "{", "}", ";")
_SENTENCE_STOP = re.compile(r"[.!?…](?:[\"'”’»)\]]*)$")


def wrap_column(lines: list[str]) -> int | None:
    """The column the text was wrapped at, or None when it was not hard-wrapped."""
    in_range = sorted(len(line) for line in lines
                      if WRAP_MIN_COLUMN <= len(line) <= WRAP_MAX_COLUMN)
    longer = sum(len(line) > WRAP_MAX_COLUMN for line in lines)
    if len(in_range) < MIN_WRAPPED_LINES or len(in_range) < WRAPPED_TO_LONG * longer:
        return None
    column = in_range[int(COLUMN_QUANTILE * (len(in_range) - 1))]
    wrapped, run, longest = [], 0, 0
    for line, following in zip(lines, lines[1:], strict=False):
        if len(line) >= column - MAX_SLACK and _continues(line, following, column):
            wrapped.append(following)
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    cased = [following[0].islower() for following in wrapped
             if following[0].islower() or following[0].isupper()]
    if len(wrapped) < MIN_WRAPPED_LINES or longest < MIN_RUN or (
            cased and sum(cased) < MIN_LOWER_SHARE * len(cased)):
        return None
    return column


def _continues(line: str, following: str, column: int) -> bool:
    """Whether `line` was wrapped: the first word of `following` would not have fitted
    on it. A list item or a quoted reply line always starts a line of its own, and a
    line that ends a block or a sentence above a capital ends one (`_BLOCK_ENDS`,
    `_SENTENCE_STOP`)."""
    if len(line) < WRAP_MIN_COLUMN or following.startswith(_ITEM_STARTS):
        return False
    if line.endswith(_BLOCK_ENDS) or (following[0].isupper() and _SENTENCE_STOP.search(line)):
        return False
    return len(line) + 1 + len(following.split(" ", 1)[0]) > column


def reflowed(text: str) -> str:
    """The text with each hard-wrapped paragraph joined into one line; a text that was
    not hard-wrapped (or is written without spaces) comes back as it was. A blank line
    always ends a paragraph."""
    if UNSPACED.search(text):
        return text
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    column = wrap_column([line for line in lines if line])
    if column is None:
        return text
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:], strict=False):
        if previous and line and _continues(previous, line, column):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)
