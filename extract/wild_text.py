"""trafilatura's last-resort recovery of loose text, with the article's lists and
headings in it.

When trafilatura's main pass finds no article frame (under `MIN_EXTRACTED_SIZE`
characters), `recover_wild_text` collects the page's loose paragraphs, quotes, code
and tables instead. That search leaves lists and headings out, so a review or a guide
whose frame trafilatura missed keeps its prose but loses its pros and cons, its steps
and its plans, and the headings that divide it into sections. Both are added to the
search, in the page's order. The menus among the lists are already gone: the recovery
prunes lists of high link density first. Recall mode adds lists too, but with every
div and line break, and no headings.

Measured on the dev sets (bench/HISTORY.md, session 17): lists took WCXB from 0.9481
to 0.9521 (42 pages change, 5 for the worse) and ScrapingHub from 0.9759 to 0.9757;
headings then took WCXB to 0.9534 (65 pages change, 14 for the worse, none by more
than 0.024) and ScrapingHub to 0.9756. Recall mode's divs and line breaks as well
took ScrapingHub to 0.9745 (cookie banners, footers).

The change is one search expression inside trafilatura's function, so the function is
rebuilt from its own source with that expression changed, and only when the source is
the one this was checked against (trafilatura 2.3.1); otherwise trafilatura is left
as it is and tests/extract/test_wild_text.py says so.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType, FunctionType

from trafilatura import main_extractor

CHECKED_SOURCE = "335f6d13321fd4e3304299d7265493a5d83d63ae4da4a7b2beb6fd3e05cdebfd"

BALANCED_SEARCH = (
    """search_expr = ".//code|.//p|.//quote|.//table|.//div[contains(@class, 'w3-code')]\""""
)
# trafilatura has renamed <ul> and <ol> to <list>, <h1>-<h6> to <head> by then.
WIDER_SEARCH = (
    """search_expr = ".//code|.//p|.//quote|.//table|.//div[contains(@class, 'w3-code')]"""
    """|.//list|.//head\""""
)

# trafilatura's own, kept before `install` replaces it.
TRAFILATURAS = main_extractor.recover_wild_text


def source_digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def widened(function: FunctionType) -> FunctionType:
    """`function` (trafilatura's `recover_wild_text`) rebuilt with lists and headings in
    its search, in its own module's globals; in recall mode it names lists twice, which
    the XPath union ignores."""
    lines, first = inspect.getsourcelines(function)
    source = "".join(lines)
    if source.count(BALANCED_SEARCH) != 1:
        raise ValueError(f"{function.__name__} does not search as expected")
    # blank lines first, so that tracebacks point at trafilatura's own lines
    module = compile("\n" * (first - 1) + source.replace(BALANCED_SEARCH, WIDER_SEARCH),
                     inspect.getfile(function), "exec")
    code = next(c for c in module.co_consts if isinstance(c, CodeType))
    rebuilt = FunctionType(code, function.__globals__, function.__name__,
                           function.__defaults__, function.__closure__)
    rebuilt.__kwdefaults__ = function.__kwdefaults__
    return rebuilt


def install() -> bool:
    """Puts the rebuilt function where `extract_content` looks it up; only if
    trafilatura's is the code this was checked against."""
    if main_extractor.recover_wild_text is not TRAFILATURAS:
        return True
    if source_digest(TRAFILATURAS) != CHECKED_SOURCE:
        return False
    main_extractor.recover_wild_text = widened(TRAFILATURAS)
    return True


@contextmanager
def trafilaturas_own() -> Iterator[None]:
    """trafilatura's own recovery for the duration, as plain trafilatura runs: for the
    benchmarks that score it beside ours in one process."""
    installed = main_extractor.recover_wild_text
    main_extractor.recover_wild_text = TRAFILATURAS
    try:
        yield
    finally:
        main_extractor.recover_wild_text = installed
