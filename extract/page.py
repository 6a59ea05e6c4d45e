"""One page in, one `Extraction` out: the entry point of the extract room."""

from __future__ import annotations

import gc
from datetime import UTC

from htmldate.extractors import external_date_parser

from extract.byline import clean_author
from extract.dates import parse_iso_date
from extract.decode import MAX_DECODED_BYTES, DecodeError, decode
from extract.html import extract_html, looks_like_html
from extract.language import identify_language
from extract.language import load_model as load_language_model
from extract.records import Article, Extraction, RawPage, stable_id
from extract.templates import drop_template_lines, line_keys
from extract.text_page import extract_text_page
from extract.urls import host_of
from extract.words import count_words

# Below this many words a page is a stub, an error page or a listing, not an article.
MIN_ARTICLE_WORDS = 20


def site_of(url: str) -> str | None:
    host = host_of(url)
    if not host:
        return None
    return host.removeprefix("www.")


def article_id_for(page_id: str) -> str:
    return stable_id("article", page_id)


def warm_up() -> None:
    """Loads what the extractor otherwise loads on its first pages: the language
    model, and the date parser's rules for every locale (htmldate hands it dates in
    any language; a string no locale reads makes it compile them all, ~1.4 s). A
    worker process calls this once when it starts."""
    load_language_model()
    external_date_parser("0 qqq 2000", "%Y-%m-%d")
    # What was just loaded lives as long as the process; frozen, it is no longer
    # traversed by every full collection (0.5 -> 0.15 ms a page on the WCXB pages).
    gc.collect()
    gc.freeze()


def extract_page(page: RawPage, template: frozenset[int] = frozenset()) -> Extraction:
    """Never raises: a page that cannot give an article says why in `error`.
    `template`: the keys of its site's template lines (extract/templates.py)."""
    if page.read_error:
        return Extraction(page=page, encoding=None, article=None, error=page.read_error)
    try:
        return _extract(page, template)
    except DecodeError as exc:
        return Extraction(page=page, encoding=None, article=None, error=str(exc))
    except Exception as exc:  # a bug or a library failure on one page must not stop the run
        return Extraction(
            page=page, encoding=None, article=None,
            error=f"extraction failed: {type(exc).__name__}: {exc}"[:500],
        )


def _extract(page: RawPage, template: frozenset[int]) -> Extraction:
    decoded = decode(page.body, page.content_type)
    stats: dict[str, int] = {"pages_truncated": int(decoded.truncated)}
    is_html = looks_like_html(decoded.text) or "html" in (page.content_type or "")
    if is_html:
        found = extract_html(decoded.text, url=page.url, guess_dates=page.listed_at is None)
        if found is None:
            return Extraction(page, decoded.encoding, None, "no article text found in HTML", stats)
        text, title, author = found.text, found.title, found.author
        published = parse_iso_date(found.date)
        language = identify_language(text) or found.language
        site, canonical = found.sitename or site_of(page.url), found.canonical_url
    else:
        result = extract_text_page(decoded.text)
        stats["boilerplate_lines"] = result.lines_dropped
        text, title, author = result.text, result.title, clean_author(result.author)
        published, language = result.published_at, result.language
        site, canonical = site_of(page.url), None
    if published is None and page.listed_at is not None:
        # The date the page's feed or sitemap gave, where the page states none itself
        # (an HTML page's guessed dates are not asked for then: `page_metadata`), in
        # the naive UTC the warehouse keeps.
        published = page.listed_at.astimezone(UTC).replace(tzinfo=None)
    keys = line_keys(text)
    text, dropped = drop_template_lines(text, template)
    stats["template_lines"] = len(dropped)

    # the words of a long text's opening are enough to pass the minimum
    if (words := count_words(text[:2_000])) < MIN_ARTICLE_WORDS and len(text) > 2_000:
        words = count_words(text)
    if words < MIN_ARTICLE_WORDS:
        return Extraction(
            page, decoded.encoding, None,
            f"no article: {words} words of body text (minimum {MIN_ARTICLE_WORDS})",
            stats,
        )
    article = Article(
        article_id=article_id_for(page.page_id),
        page_id=page.page_id,
        url=page.url,
        title=title,
        text=text,
        published_at=published,
        language=language,
        site=site,
        author=author,
        canonical_url=canonical,
    )
    warning = None
    if decoded.truncated:
        warning = (f"page cut at {MAX_DECODED_BYTES // (1024 * 1024)} MB of decoded content; "
                   "the article may be incomplete")
    return Extraction(page, decoded.encoding, article, None, stats, warning, keys, dropped)
