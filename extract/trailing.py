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

from extract.chrome import (
    ADDRESSED,
    ARTICLE_END,
    CALL_TO_ACTION,
    CHROME,
    RELATED,
    REPLY_LINE,
    TEASER,
)
from extract.words import SENTENCE_END, count_words

# A newsletter box's pitch runs to a few sentences; a paragraph longer than this that
# mentions subscribing is the writer's own.
CALL_MAX_WORDS = 60
# A box's headlines: short, and not sentences.
HEADLINE_MAX_WORDS = 20
# How far above the end a box's header is looked for.
BOX_MAX_PARAGRAPHS = 15
# What is always kept, so that a short story is never trimmed to nothing.
KEPT_PARAGRAPHS = 2
_BARE_URL = re.compile(r"^https?://\S+$")


def _is_call(paragraph: str) -> bool:
    return bool(CALL_TO_ACTION.search(paragraph) and ADDRESSED.search(paragraph)
                and len(paragraph.split()) <= CALL_MAX_WORDS)


def _is_end_matter(paragraph: str) -> bool:
    if _BARE_URL.match(paragraph):  # a list of sources is the story's own
        return False
    return bool(
        _is_call(paragraph)
        or RELATED.match(paragraph) or TEASER.match(paragraph) or CHROME.search(paragraph)
        or ARTICLE_END.search(paragraph) or REPLY_LINE.search(paragraph))


def _box_start(paragraphs: list[str]) -> int | None:
    """Where a box of headlines closing the text starts: the last related-stories
    header or call to action near the end ("Subscribe to our channel!" above three
    videos' titles), when only short headlines follow it."""
    first = max(KEPT_PARAGRAPHS, len(paragraphs) - BOX_MAX_PARAGRAPHS)
    for i in range(len(paragraphs) - 1, first - 1, -1):
        if RELATED.match(paragraphs[i]) or _is_call(paragraphs[i]):
            after = paragraphs[i + 1:]
            # a label under the headlines ("Connect with me here:") is no prose either
            if all(count_words(p) <= HEADLINE_MAX_WORDS
                   and not SENTENCE_END.search(p.rstrip(":"))
                   for p in after):
                return i
            return None
    return None


def without_end_matter(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the end matter that closes them."""
    kept = [p.strip() for p in paragraphs]
    while len(kept) > KEPT_PARAGRAPHS:
        if _is_end_matter(kept[-1]):
            kept.pop()
            continue
        start = _box_start(kept)
        if start is None:
            break
        del kept[start:]
    return kept


def without_leading_chrome(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the chrome lines that open them (a bare link to the page,
    "Share", a picture's credit), so that the headline under them is found too."""
    head = 0
    while len(paragraphs) - head > KEPT_PARAGRAPHS and CHROME.search(paragraphs[head]):
        head += 1
    return paragraphs[head:]
