import random
from copy import copy

import pytest
import trafilatura
from lxml.etree import Element, SubElement, tostring
from lxml.html import fromstring
from trafilatura import core, external, main_extractor
from trafilatura.settings import Extractor
from trafilatura.utils import trim

import extract.html  # noqa: F401  (installs the gate)
from extract import readability_gate, wild_text
from extract.readability_gate import (
    NOTHING,
    TRAFILATURAS,
    extract_and_compare,
    readability_bound,
    readability_cannot_win,
)

WORDS = ("the", "summit", "in", "Pyongyang", "agreed", "on", "mutual", "assistance",
         "قمة", "بوتين", "كيم", "اتفاق", "2024", "said", "a", "of", "and", "—", "«", "»")
SPACES = (" ", "  ", "\n", "\n\t  ", "\xa0", " \n ")


def sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(SPACES) for _ in range(n))


def block(rng: random.Random, depth: int) -> str:
    """A random piece of a page: paragraphs long and short, link lists, tables, video
    and other iframes, headings, divs with loose text (which readability turns into
    paragraphs), menus, forms; whitespace of every kind between words."""
    kind = rng.randrange(12 if depth < 4 else 6)
    tail = sentence(rng, rng.randrange(3)) if rng.random() < 0.3 else ""
    if kind == 0:
        return f"<p>{sentence(rng, rng.randint(1, 80))}</p>{tail}"
    if kind == 1:
        return f"<p>{sentence(rng, 5)}<a href='/x'>{sentence(rng, 4)}</a>{sentence(rng, 30)}</p>"
    if kind == 2:
        items = "".join(f"<li><a href='/{i}'>{sentence(rng, 6)}</a></li>" for i in range(8))
        return f"<ul>{items}</ul>{tail}"
    if kind == 3:
        cells = "".join(f"<tr><td>{sentence(rng, rng.randint(1, 40))}</td></tr>"
                        for _ in range(rng.randint(1, 5)))
        return f"<table>{cells}</table>"
    if kind == 4:
        src = rng.choice(("https://www.youtube.com/embed/x", "https://vimeo.com/1", "/ad"))
        return f"<iframe src='{src}'></iframe>{tail}"
    if kind == 5:
        return f"<h2>{sentence(rng, rng.randint(1, 8))}</h2>{tail}"
    inner = "".join(block(rng, depth + 1) for _ in range(rng.randint(1, 5)))
    tag = rng.choice(("div", "div", "div", "article", "section", "nav", "footer", "form"))
    cls = rng.choice(("", " class='comment'", " class='article-body'", " id='sidebar'"))
    loose = sentence(rng, rng.randint(0, 20)) if tag == "div" else ""
    return f"<{tag}{cls}>{loose}{inner}</{tag}>{tail}"


def random_page(rng: random.Random) -> str:
    body = "".join(block(rng, 0) for _ in range(rng.randint(1, 6)))
    return f"<html><head><title>{sentence(rng, 5)}</title></head><body>{body}</body></html>"


PAGES = [random_page(random.Random(seed)) for seed in range(400)]


def test_the_gate_is_installed():
    """Fails when a trafilatura upgrade changes the code the gate was checked against:
    it is then not installed (correct but slower) until the reasoning is re-checked."""
    assert core._extract_and_compare is extract_and_compare


def test_a_changed_trafilatura_is_left_alone(monkeypatch):
    monkeypatch.setattr(core, "_extract_and_compare", TRAFILATURAS)
    monkeypatch.setitem(readability_gate.CHECKED_SOURCES,
                        "trafilatura.external._prefer_readability", "0" * 64)
    assert readability_gate.install() is False
    assert core._extract_and_compare is TRAFILATURAS


VIDEOS = ("<html><body><div><p>" + "word, " * 60 + "</p>"
          + "<iframe src='https://www.youtube.com/embed/x'></iframe>" * 3
          + "<p>" + "more, " * 40 + "</p></div></body></html>")


def test_readability_never_finds_more_text_than_the_bound():
    # readability writes "VIDEO" into video iframes: more text than the page has
    tree = fromstring(VIDEOS)
    assert len(trim(external.try_readability(copy(tree)).text_content())) > len(
        trim(tree.text_content()))
    for page in [VIDEOS, *PAGES]:
        tree = fromstring(page)
        found = external.try_readability(copy(tree))
        found_text = trim(tostring(found, method="text", encoding="utf-8").decode("utf-8"))
        assert len(found_text) <= readability_bound(tree), page


def body_with(rng: random.Random) -> Element:
    """trafilatura's own extraction as `_prefer_readability` sees it: paragraphs with
    text or without, and tables fewer or more than paragraphs."""
    body = Element("body")
    for _ in range(rng.randrange(4)):
        p = SubElement(body, "p")
        p.text = "text" if rng.random() < 0.7 else None
    for _ in range(rng.randrange(4)):
        SubElement(body, "table")
    return body


@pytest.mark.parametrize("focus", ["balanced", "precision", "recall"])
def test_when_the_gate_says_readability_cannot_win_trafilatura_agrees(focus):
    """For every readability text up to the bound, not only the bound itself."""
    rng = random.Random(3)
    options = Extractor()
    options.focus = focus
    options.min_extracted_size = 25  # small, so that every length below is tried
    headed = fromstring("<div><h2>a</h2></div>")  # what readability's recall rule wants
    skipped = 0
    for _ in range(300):
        body = body_with(rng)
        length = rng.randrange(0, 120)
        bound = rng.randrange(0, 2 * length + 30)
        if not readability_cannot_win(bound, body, length, options):
            continue
        skipped += 1
        for found in range(bound + 1):
            assert not external._prefer_readability(
                body, headed, "x" * found, length, found, options), (length, bound, found)
    assert skipped > 50


def test_extraction_is_the_same_with_the_gate_and_without(monkeypatch):
    def texts() -> list[str | None]:
        out = []
        for page in PAGES:
            doc = trafilatura.bare_extraction(fromstring(page), include_comments=False)
            out.append(doc.text if doc is not None else None)
        for mode in ("favor_recall", "favor_precision"):
            for page in PAGES[:100]:
                doc = trafilatura.bare_extraction(fromstring(page), **{mode: True})
                out.append(doc.text if doc is not None else None)
        return out

    calls = {"copied": 0, "skipped": 0, "readability won": 0}
    compare = external.compare_extraction

    def counting(backup, raw, body, text, options):
        calls["skipped" if tostring(raw) == tostring(fromstring(NOTHING)) else "copied"] += 1
        return compare(backup, raw, body, text, options)

    prefer = external._prefer_readability

    def counting_wins(*args):
        won = prefer(*args)
        calls["readability won"] += won
        return won

    monkeypatch.setattr(external, "compare_extraction", counting)
    monkeypatch.setattr(external, "_prefer_readability", counting_wins)
    gated = texts()
    monkeypatch.setattr(core, "_extract_and_compare", TRAFILATURAS)
    assert gated == texts()
    # both ways are taken on these pages, and readability's text is sometimes kept
    assert calls["skipped"] > 50 and calls["copied"] > 50 and calls["readability won"] > 10


def test_plain_trafilatura_is_trafilatura_as_it_ships_then_ours_again():
    """The benchmarks' baseline: the speed bars compare ours with plain trafilatura, and
    a plain run inside a process that imported `extract` had the gate too."""
    with extract.html.plain_trafilatura():
        assert core._extract_and_compare is TRAFILATURAS
        assert main_extractor.recover_wild_text is wild_text.TRAFILATURAS
    assert core._extract_and_compare is extract_and_compare
    assert main_extractor.recover_wild_text is not wild_text.TRAFILATURAS
