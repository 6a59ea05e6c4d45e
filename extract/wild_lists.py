"""trafilatura's last-resort recovery of loose text, with the page's lists in it.

When trafilatura's main pass finds no article frame (under `MIN_EXTRACTED_SIZE`
characters), `recover_wild_text` collects the page's loose paragraphs, quotes, code
and tables instead. In its balanced mode that search leaves lists out, so a review or
a guide whose frame trafilatura missed keeps its prose and loses its pros and cons,
its steps and its plans; recall mode searches lists too, along with every div and
line break. Lists alone are what this adds to the balanced search: the menus among
them are already gone, as the recovery prunes high link density lists first.

Measured on the dev sets (bench/HISTORY.md, session 17): WCXB 0.9481 -> 0.9521 (42
pages change, 5 for the worse), ScrapingHub 0.9759 -> 0.9757; with recall mode's
divs and line breaks as well, ScrapingHub fell to 0.9745 (cookie banners, footers).

The change is one search expression inside trafilatura's function, so the function is
rebuilt from its own source with that expression changed, and only when the source is
the one this was checked against (trafilatura 2.3.1); otherwise trafilatura is left
as it is and tests/extract/test_wild_lists.py says so.
"""

from __future__ import annotations

import hashlib
import inspect
from types import CodeType, FunctionType

from trafilatura import main_extractor

CHECKED_SOURCE = "335f6d13321fd4e3304299d7265493a5d83d63ae4da4a7b2beb6fd3e05cdebfd"

BALANCED_SEARCH = (
    """search_expr = ".//code|.//p|.//quote|.//table|.//div[contains(@class, 'w3-code')]\""""
)
WITH_LISTS = (
    """search_expr = ".//code|.//p|.//quote|.//table|.//div[contains(@class, 'w3-code')]"""
    """|.//list\""""
)

# trafilatura's own, kept before `install` replaces it.
TRAFILATURAS = main_extractor.recover_wild_text


def source_digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def with_lists(function: FunctionType) -> FunctionType:
    """`function` (trafilatura's `recover_wild_text`) rebuilt with lists in its balanced
    search, in its own module's globals; in recall mode it names them twice, which the
    XPath union ignores."""
    lines, first = inspect.getsourcelines(function)
    source = "".join(lines)
    if source.count(BALANCED_SEARCH) != 1:
        raise ValueError(f"{function.__name__} does not search as expected")
    # blank lines first, so that tracebacks point at trafilatura's own lines
    module = compile("\n" * (first - 1) + source.replace(BALANCED_SEARCH, WITH_LISTS),
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
    main_extractor.recover_wild_text = with_lists(TRAFILATURAS)
    return True
