"""trafilatura's readability comparison, skipped on pages where it cannot win.

After its own extraction, trafilatura (not in fast mode) copies the raw tree and runs
readability on it, then keeps readability's text only if it is much longer than its
own (or its own is empty or structurally poor): `_prefer_readability`. That costs a
quarter of trafilatura's time on a news page, and on three pages in four the answer
is known before readability runs: readability only moves the page's own text nodes
around (plus "VIDEO" in video iframes), so its text is never longer than the page's
whole text, whitespace collapsed. When that bound is not enough for readability to
win, it gets an empty tree instead of a copy of the page: the same decision
(`len_algo` 0 is never preferred) and the same result, the rest of
`compare_extraction` (the jusText rescue) included.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy

from lxml.etree import _Element
from lxml.html import HtmlElement, fromstring
from trafilatura import core, external, readability_lxml
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor

LOGGER = logging.getLogger(__name__)

# What readability adds to a page's text: "VIDEO" in each video iframe, and a space
# beside it.
IFRAME_TEXT = len(" VIDEO")

# sha256 of the sources this reasoning was checked against (trafilatura 2.3.1). When
# an upgrade changes one, the gate is not installed (correct but slower) and
# tests/extract/test_readability_gate.py says so.
CHECKED_SOURCES = {
    "trafilatura.core._extract_and_compare":
        "f7d056c2118222e8ffb17e32d4796ccbddc452936d7177e27c53fb6d39b8f6e6",
    "trafilatura.external.compare_extraction":
        "2d3d1ffea3ba469f7cfe7a0198968d7ff7dfc1fe50842605761644a044858962",
    "trafilatura.external._prefer_readability":
        "f6ee688e9ae60074642c284b175e2a995b78c14062f6ed6f87dad9bd7d383658",
    "trafilatura.external.try_readability":
        "538e3c8e5ab7e4d4348bb412b120e19c3eb4882f1e7030525f490bea3ad772e3",
    "trafilatura.readability_lxml":
        "d308e782a00344fd8548cfcafd3a4d5d5b2a77846d78651d5c7dde4785d7cba1",
}


# trafilatura's own, kept before `install` replaces it.
TRAFILATURAS = core._extract_and_compare


def _source_of(name: str) -> str:
    return inspect.getsource({
        "trafilatura.core._extract_and_compare": TRAFILATURAS,
        "trafilatura.external.compare_extraction": external.compare_extraction,
        "trafilatura.external._prefer_readability": external._prefer_readability,
        "trafilatura.external.try_readability": external.try_readability,
        "trafilatura.readability_lxml": readability_lxml,
    }[name])


def source_digests() -> dict[str, str]:
    return {name: hashlib.sha256(_source_of(name).encode()).hexdigest()
            for name in CHECKED_SOURCES}


def readability_bound(tree: HtmlElement) -> int:
    """At least the length of any text readability extracts from `tree`, as
    trafilatura measures it (whitespace runs collapsed to one space, ends trimmed)."""
    whole = len(" ".join(tree.text_content().split()))
    return whole + IFRAME_TEXT * sum(1 for _ in tree.iter("iframe"))


def structurally_poor(body: _Element) -> bool:
    """trafilatura's test of its own extraction: no paragraph text, or more tables
    than paragraphs."""
    return not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(
        body.findall(".//p"))


def readability_cannot_win(bound: int, body: _Element, length: int,
                           options: Extractor) -> bool:
    """True when `_prefer_readability` is False for every readability text of at most
    `bound` characters, given trafilatura's own `body` of `length` characters."""
    if length == 0:
        return False
    # readability must be twice as long to win; in recall mode, merely longer
    if bound > (length if options.focus == "recall" else 2 * length):
        return False
    # or long enough while trafilatura's own is structurally poor
    return bound <= 2 * options.min_extracted_size or not structurally_poor(body)


NOTHING = "<html><body></body></html>"


def _nothing() -> HtmlElement:
    # a new one each time: readability edits the tree it is given
    return fromstring(NOTHING)


def extract_and_compare(cleaned_tree: HtmlElement, cleaned_tree_backup: HtmlElement,
                        tree: HtmlElement, options: Extractor) -> tuple[_Element, str]:
    """`trafilatura.core._extract_and_compare`, with readability given an empty tree
    where it cannot win (and no copy of the page made for it)."""
    body, text = extract_content(cleaned_tree, options)
    if options.fast:
        return body, text
    recall_bypass = (options.focus == "recall"
                     and len(text) > options.min_extracted_size * 10)
    if recall_bypass or readability_cannot_win(readability_bound(tree), body, len(text),
                                               options):
        raw = _nothing()
    else:
        raw = copy(tree)
    return external.compare_extraction(cleaned_tree_backup, raw, body, text, options)


@contextmanager
def trafilaturas_own() -> Iterator[None]:
    """trafilatura's own comparison for the duration, as plain trafilatura runs: for
    the benchmarks that time it beside ours in one process."""
    installed = core._extract_and_compare
    core._extract_and_compare = TRAFILATURAS
    try:
        yield
    finally:
        core._extract_and_compare = installed


def install() -> bool:
    """Puts `extract_and_compare` in trafilatura's core, where the extraction cascade
    looks it up; only if trafilatura's code is the code this was checked against."""
    if core._extract_and_compare is extract_and_compare:
        return True
    changed = [name for name, digest in source_digests().items()
               if digest != CHECKED_SOURCES[name]]
    if changed:
        LOGGER.debug("trafilatura's %s changed; readability always runs", ", ".join(changed))
        return False
    core._extract_and_compare = extract_and_compare
    return True
