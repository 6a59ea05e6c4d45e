"""End matter left under a story: the site's calls to action (a newsletter box, "Follow
us on ..."), the text-page classifier's end markers (the comments' header, tags, a
copyright notice) and a box of other stories' headlines. trafilatura keeps them when
they sit in the article's container, and a text page's classifier can let a call to
action through; they are never the story's text.

Only the end is trimmed, from the last paragraph up, and the trimming stops at the first
paragraph that is none of these: the same words inside the story ("readers can sign up
for the scheme") are the story's.
"""

from __future__ import annotations

import re
from datetime import datetime

from extract.chrome import (
    ADDRESSED,
    CALL_TO_ACTION,
    CLOSING_HEADER,
    COMMENT_POLICY,
    COMMENTS_HEADER,
    RELATED,
    REPLY_LINE,
    TEASER,
    ends_article,
    is_chrome,
    story_closed,
)
from extract.dates import parse_date_line
from extract.text_header import HEADLINE_MAX_LENGTH
from extract.words import SENTENCE_END, UNSPACED, count_words, line_length

# A newsletter box's pitch runs to a few sentences; a paragraph longer than this that
# mentions subscribing is the writer's own.
CALL_MAX_WORDS = 60
# A box's headlines: short, and not sentences.
HEADLINE_MAX_WORDS = 20
# A box's cards: list items of a headline and its one-line summary.
CARD_MAX_WORDS = 40
# A box's title: "Found a typo?".
BOX_TITLE_MAX_WORDS = 4
# How far above the end a box's header is looked for.
BOX_MAX_PARAGRAPHS = 15
# What is always kept, so that a short story is never trimmed to nothing.
KEPT_PARAGRAPHS = 2
# A feed of other stories: cards that each carry a date on a line of its own, at most
# this many paragraphs apart, at least this many of them, the last this near the end.
FEED_MAX_GAP = 8
FEED_MIN_DATES = 3
DATE_LINE_MAX_WORDS = 6
_BARE_URL = re.compile(r"^https?://\S+$")
_TIME_OF_DAY = re.compile(r"\d:\d\d")


def _is_call(paragraph: str) -> bool:
    # the length first: the patterns cost 0.1 ms on a long paragraph
    return bool(len(paragraph.split()) <= CALL_MAX_WORDS and (
        (CALL_TO_ACTION.search(paragraph) and ADDRESSED.search(paragraph))
        or COMMENT_POLICY.search(paragraph)))


def _is_end_matter(paragraph: str) -> bool:
    if _BARE_URL.match(paragraph):  # a list of sources is the story's own
        return False
    return bool(
        _is_call(paragraph)
        or RELATED.match(paragraph) or TEASER.match(paragraph) or is_chrome(paragraph)
        or ends_article(paragraph) or REPLY_LINE.search(paragraph))


def _is_headline(paragraph: str) -> bool:
    # a label under the headlines ("Connect with me here:") is no prose either; in
    # scripts without spaces, where each character counts as a word, the length caps
    # a headline ("[FT]米朝首脳会談、クシュナー氏が橋渡し （2018/6/18 14:10）")
    return ((count_words(paragraph) <= HEADLINE_MAX_WORDS
             or (bool(UNSPACED.search(paragraph))
                 and line_length(paragraph) <= HEADLINE_MAX_LENGTH))
            and not SENTENCE_END.search(paragraph.rstrip(":")))


def _is_card(paragraph: str) -> bool:
    # "- Pats place Olszewski on IR New England's roster is re-shuffling": a list
    # item (trafilatura writes them so) of another story's headline and summary
    return paragraph.startswith("- ") and count_words(paragraph) <= CARD_MAX_WORDS


def _box_start(paragraphs: list[str]) -> int | None:
    """Where a box of headlines closing the text starts: the last related-stories
    header or call to action near the end ("Subscribe to our channel!" above three
    videos' titles), when only short headlines, or cards of a headline and its
    summary, follow it. Read from the end up, and no further than the first line that
    is neither."""
    first = max(KEPT_PARAGRAPHS, len(paragraphs) - BOX_MAX_PARAGRAPHS)
    for i in range(len(paragraphs) - 1, first - 1, -1):
        if RELATED.match(paragraphs[i]) or _is_call(paragraphs[i]):
            return i
        if not (_is_headline(paragraphs[i]) or _is_card(paragraphs[i])):
            return None
    return None


def _card_date(paragraph: str) -> datetime | None:
    """The date of a line that is only a date ("Dec 19, 2025"); not one with a time of
    day, which is a live blog's entry."""
    if count_words(paragraph) > DATE_LINE_MAX_WORDS or _TIME_OF_DAY.search(paragraph):
        return None
    return parse_date_line(paragraph, None)


def _feed_start(paragraphs: list[str]) -> int | None:
    """Where a feed of other stories closing the text starts: cards, each with its
    date on a line of its own and often a blurb of prose (so not `_box_start`'s
    headlines), newest first, the last near the end. The cut falls on the line above
    the first card's date (its headline or label). A text whose dated lines begin in
    its first quarter is a list of dated entries of its own, and is left whole. Read
    from the end up, so that a text without a feed costs a few lines' look."""
    run: list[tuple[int, datetime]] = []
    last = len(paragraphs)  # the end counts as the line below the last card's date
    for i in range(len(paragraphs) - 1, KEPT_PARAGRAPHS - 1, -1):
        if last - i > FEED_MAX_GAP:
            break
        if (date := _card_date(paragraphs[i])) is None:
            continue
        if run and date < run[-1][1]:  # older than the card below it: not newest first
            break
        run.append((i, date))
        last = i
    if len(run) < FEED_MIN_DATES or last < len(paragraphs) / 4:
        return None
    return max(KEPT_PARAGRAPHS, last - 1)


# When a reader's comment was posted, on a line of its own under the comments' header:
# "Hace 28 minutos", "3 hours ago", "منذ ساعتين", "vor 2 Stunden", "il y a 3 jours", or a
# date with a time of day.
_COMMENT_STAMP = re.compile(
    r"^(hace (un|una|\d+) \w+|(an?|\d+) (second|minute|hour|day|week|month|year)s? ago|"
    r"منذ \S+( \S+)?|vor \d+ \w+|il y a \d+ \w+|há \d+ \w+|\d+ (분|시간|일) 전)$", re.I)
STAMP_MAX_WORDS = 8
# How far under the comments' header the first stamp is looked for.
STAMP_WITHIN = 6


def _is_stamp(paragraph: str) -> bool:
    return count_words(paragraph) <= STAMP_MAX_WORDS and bool(
        _COMMENT_STAMP.match(paragraph)
        or (_TIME_OF_DAY.search(paragraph) and parse_date_line(paragraph, None)))


def _comments_start(paragraphs: list[str]) -> int | None:
    """Where readers' comments the extractor kept start: a comments header ("Comentar",
    "3 Comments") with a comment's time stamp under it. Without the stamp, the header
    can be a label inside the story ("Response:" over a prompt's answer)."""
    for i in range(KEPT_PARAGRAPHS, len(paragraphs)):
        if COMMENTS_HEADER.match(paragraphs[i]) and any(
                _is_stamp(p) for p in paragraphs[i + 1 : i + 1 + STAMP_WITHIN]):
            return i
    return None


def _closed_start(paragraphs: list[str]) -> int | None:
    """Where a notice that closes the story stands (`STORY_CLOSED`: the paywall's, or
    the box asking readers to report a typo): what follows is the site's (other
    stories, sign-up forms, a cookie notice). A short paragraph of its own; a story
    about paywalls says so inside longer ones. The box's title goes with it: a question
    of a few words right above ("Kļūda rakstā?", "Found a typo?")."""
    at = next((i for i in range(KEPT_PARAGRAPHS, len(paragraphs))
               if len(paragraphs[i].split()) <= CALL_MAX_WORDS
               and story_closed(paragraphs[i])), None)
    if (at is not None and at > KEPT_PARAGRAPHS and paragraphs[at - 1].endswith("?")
            and count_words(paragraphs[at - 1]) <= BOX_TITLE_MAX_WORDS):
        return at - 1
    return at


def _closing_section_start(paragraphs: list[str]) -> int | None:
    """Where a closing section (`CLOSING_HEADER`) starts in the second half."""
    first = max(KEPT_PARAGRAPHS, len(paragraphs) // 2)
    return next((i for i in range(first, len(paragraphs))
                 if CLOSING_HEADER.match(paragraphs[i])), None)


def without_end_matter(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the end matter that closes them."""
    kept = [p.strip() for p in paragraphs]
    while len(kept) > KEPT_PARAGRAPHS:
        if _is_end_matter(kept[-1]):
            kept.pop()
            continue
        for find in (_comments_start, _closed_start, _closing_section_start, _feed_start,
                     _box_start):
            if (start := find(kept)) is not None:
                del kept[start:]
                break
        else:
            break
    return kept


def without_leading_chrome(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the chrome lines that open them (a bare link to the page,
    "Share", a picture's credit), so that the headline under them is found too."""
    head = 0
    while len(paragraphs) - head > KEPT_PARAGRAPHS and is_chrome(paragraphs[head]):
        head += 1
    return paragraphs[head:]


# The writer's short biography under the story: "Rebecca Norris is a full-time
# freelance writer living in ...". It is the site's page about the writer, repeated
# under each of their stories (and so a passage that stories by one writer would share).
# Told by the byline's full name opening one of the last paragraphs, followed by the
# verb a biography starts with; a one-word byline is as often the site's name, and a
# company describes itself the same way ("Clay is a design agency ...").
BIO_LAST_PARAGRAPHS = 3
BIO_MAX_WORDS = 120
_BIO_VERB = re.compile(r"\s*(is|was|has|writes|covers|joined|serves|’s|'s|ist|war|est|es|è|é)\b")


def without_author_bio(paragraphs: list[str], author: str | None) -> list[str]:
    """The paragraphs without the writer's biography at their end, and what follows it
    (a link to the writer's other stories, their social accounts)."""
    name = " ".join((author or "").split())
    if len(name.split()) < 2:
        return paragraphs
    first = max(KEPT_PARAGRAPHS, len(paragraphs) - BIO_LAST_PARAGRAPHS)
    for i in range(first, len(paragraphs)):
        p = paragraphs[i]
        if (p.casefold().startswith(name.casefold()) and _BIO_VERB.match(p, len(name))
                and count_words(p) <= BIO_MAX_WORDS):
            return paragraphs[:i]
    return paragraphs


# Other stories' headlines under the story, each a link (with its blurb after it), in a
# box that had no label or lost it to the extractor. Told apart from the story's own
# list of links: one the story introduces ("For more on the subject, try these:") or
# whose items each describe their link ("Title – what it is") is the story's.
# (WCXB dev +0.0003, one page worse; ScrapingHub +0.0013 in mean per-page F1.)
LINKED_MIN_RUN = 2
LINKED_MIN_WORDS = 3
LINK_KEY_MAX_WORDS = 40
_LINK_WORD = re.compile(r"\w+")
_DESCRIBED = re.compile(r"\s[–—-]\s")
_BULLET = re.compile(r"^[-•*]\s*")


def link_key(text: str) -> str:
    """A link's text as `without_linked_tail` compares it: lower-case words."""
    return " ".join(_LINK_WORD.findall(text.lower()))


def _opens_with_link(paragraph: str, links: frozenset[str]) -> bool:
    words = _LINK_WORD.findall(paragraph.lower())[:LINK_KEY_MAX_WORDS]
    return any(" ".join(words[:k]) in links for k in range(len(words), LINKED_MIN_WORDS - 1, -1))


def without_linked_tail(paragraphs: list[str], links: frozenset[str]) -> list[str]:
    """The paragraphs without a closing run of `LINKED_MIN_RUN` or more that each open
    with the text of one of the page's `links` (`link_key`s of three words or more)."""
    start = len(paragraphs)
    while start > KEPT_PARAGRAPHS and _opens_with_link(paragraphs[start - 1], links):
        start -= 1
    run = [_BULLET.sub("", p) for p in paragraphs[start:]]
    if (len(run) < LINKED_MIN_RUN or paragraphs[start - 1].rstrip().endswith(":")
            or 2 * sum(bool(_DESCRIBED.search(p)) for p in run) > len(run)):
        return paragraphs
    return paragraphs[:start]
