"""Site templates: lines that recur across many of one site's articles are its chrome.

A site puts the same lines around every article (a newsletter prompt, "follow us on
Google News", an agency's credit line, a disclaimer), and neither trafilatura nor the
text-page classifier recognises all of them: many are prose. What gives them away is
that they recur. The warehouse keeps, per site, the line keys of the site's latest
distinct articles (a sample; copies of one story are one article, not several); a line
in enough of them is template and is dropped from the site's next articles.

Pure: the samples are handed in and handed back as data.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from extract.urls import split_url


@dataclass(frozen=True)
class TemplateSettings:
    # Distinct articles kept per site: enough for a line to recur, and recent, so that
    # a site's new design replaces the old one's lines.
    sample_articles: int = 50
    # A template line is in at least this many of the sampled articles, and in at least
    # this share of them. The share keeps out what recurs for a while without being
    # chrome: the headline of a "most read" box, a running story's background paragraph
    # in a handful of articles of a site that publishes hundreds.
    min_articles: int = 4
    min_share: float = 0.2
    # Template lines are chrome around an article, never most of it: when they would be
    # more than this share of a text's characters, the page repeats a body the site
    # published before, and nothing is dropped.
    max_dropped_share: float = 0.5
    # Lines of an article kept in its sample (a page of thousands of lines is a listing).
    max_lines: int = 300
    # Shorter lines are never template: a heading such as "Conclusion" or "Key
    # takeaways" recurs across a blog's distinct articles and is theirs, and short
    # chrome ("Share", "Advertisement") is the line classifier's and trafilatura's to
    # drop. What only recurrence gives away is a sentence of chrome written as prose.
    min_words: int = 4


DEFAULT_TEMPLATE_SETTINGS = TemplateSettings()


@dataclass(frozen=True)
class SiteSample:
    """One article of a site, as the template learns from it: its lines' keys."""

    article_id: str
    line_keys: frozenset[int]


def template_site(url: str) -> str | None:
    """What shares a template: a web page's host; a file's folder (a folder of pages is
    usually one site's export or one crawl's)."""
    parts = split_url(url)
    if parts.scheme == "file":
        folder = parts.path.rpartition("/")[0]
        return f"file://{folder}" if folder else None
    host = parts.hostname
    return host.removeprefix("www.") if host else None


def _key_of_words(words: list[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).casefold().encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def line_key(line: str) -> int:
    """A 63-bit key of the line with its spacing and case normalised: stable across
    processes and runs (Python's `hash` of a str is not)."""
    return _key_of_words(line.split())


def line_keys(text: str, settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS) -> frozenset[int]:
    """The keys of the text's lines that could be template (each line split once)."""
    keys: list[int] = []
    for line in text.split("\n"):
        words = line.split()
        if len(words) >= settings.min_words:
            keys.append(_key_of_words(words))
            if len(keys) == settings.max_lines:
                break
    return frozenset(keys)


def template_of(
    samples: Sequence[SiteSample], settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS
) -> frozenset[int]:
    """The keys of the lines in enough of the sampled articles."""
    if len(samples) < settings.min_articles:
        return frozenset()
    seen = Counter(key for sample in samples for key in sample.line_keys)
    needed = max(settings.min_articles, settings.min_share * len(samples))
    return frozenset(key for key, n in seen.items() if n >= needed)


def with_samples(
    samples: Sequence[SiteSample], new: Sequence[SiteSample],
    settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS,
) -> tuple[SiteSample, ...]:
    """The site's sample with these articles added (an article sampled before, such as
    a reprocessed page, takes its new place), the oldest beyond the size dropped."""
    ids = {s.article_id for s in new}
    kept = [s for s in samples if s.article_id not in ids] + list(new)
    return tuple(kept[-settings.sample_articles:])


_BLANK_RUNS = re.compile(r"\n{3,}")


def drop_template_lines(
    text: str, template: frozenset[int], settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS
) -> tuple[str, tuple[str, ...]]:
    """The text without its template lines, and the lines dropped."""
    if not template:
        return text, ()
    lines = text.split("\n")
    drop = [bool(line.strip()) and line_key(line) in template for line in lines]
    dropped = tuple(line.strip() for line, d in zip(lines, drop, strict=True) if d)
    if not dropped or sum(map(len, dropped)) > settings.max_dropped_share * len(text):
        return text, ()
    kept = "\n".join(line for line, d in zip(lines, drop, strict=True) if not d)
    return _BLANK_RUNS.sub("\n\n", kept).strip("\n"), dropped


def learn(
    samples: dict[str, tuple[SiteSample, ...]], articles: Sequence[tuple[str, SiteSample]],
    settings: TemplateSettings = DEFAULT_TEMPLATE_SETTINGS,
) -> dict[str, tuple[SiteSample, ...]]:
    """The samples of the sites these (site, article) pairs are of, with them added:
    what replaces those sites' samples. Only distinct articles should be given (not
    copies of an article sampled already), or a story a site republished would be
    taken for its template."""
    by_site: dict[str, list[SiteSample]] = {}
    for site, sample in articles:
        by_site.setdefault(site, []).append(sample)
    return {site: with_samples(samples.get(site, ()), new, settings)
            for site, new in by_site.items()}
