"""A page's text rendered twice: the second copy of a long run of paragraphs.

Some pages carry their article more than once: a mobile and a desktop layout, a tab
and its print view, a slider's cloned slides. trafilatura keeps every copy, and a
story read twice over looks to the dedup stages like another story, and to a reader
like junk. A copy is told from what a writer repeats on purpose (a comparison table
shown again, a legend, the same meal on each day of a plan) by its size: it is a whole
run of paragraphs in the same order, a large share of the text.
"""

from __future__ import annotations

# A repeated run counts as a second copy from this many paragraphs, this share of the
# text's words and this many words on: an article's copy, not a few labels of a short
# text used again.
COPY_MIN_PARAGRAPHS = 3
COPY_MIN_SHARE = 0.25
COPY_MIN_WORDS = 100


def _key(paragraph: str) -> str:
    return " ".join(paragraph.lower().split())


def without_repeated_runs(paragraphs: list[str]) -> list[str]:
    """The paragraphs without any run that repeats, in order, an earlier run of them,
    when the run is at least `COPY_MIN_PARAGRAPHS` long and holds `COPY_MIN_SHARE` of
    the words and `COPY_MIN_WORDS`; the first copy stays where it was. A run is looked
    for only from a paragraph seen once before: from one seen often ("Meal 1",
    "Share") the search would cost the square of the text's length on a page of one
    line repeated, and a copy is found from its next paragraph anyway."""
    keys = [_key(p) for p in paragraphs]
    sizes = [k.count(" ") + 1 if k else 0 for k in keys]  # words, as spaces part them
    least = max(COPY_MIN_WORDS, COPY_MIN_SHARE * sum(sizes))
    seen: dict[str, list[int]] = {}
    kept: list[str] = []
    i = 0
    while i < len(paragraphs):
        earlier = seen.get(keys[i], [])
        if len(earlier) == 1 and keys[i]:
            j, length = earlier[0], 0
            # the earlier run ends where this one starts at the latest
            while (i + length < len(keys) and j + length < i
                   and keys[i + length] == keys[j + length]):
                length += 1
            if length >= COPY_MIN_PARAGRAPHS and sum(sizes[i:i + length]) >= least:
                i += length
                continue
        earlier.append(i)
        seen[keys[i]] = earlier
        kept.append(paragraphs[i])
        i += 1
    return kept
