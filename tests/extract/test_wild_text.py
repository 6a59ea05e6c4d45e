
import pytest
import trafilatura
from trafilatura import main_extractor

import extract.html  # noqa: F401  (installs the rebuilt recovery)
from extract import wild_text
from extract.wild_text import TRAFILATURAS, widened

from .test_readability_gate import PAGES

# A page builder's review: each section a rich-text block of a heading, a list of pros
# and a paragraph, in no frame trafilatura's main pass recognises, then a menu.
PROS = [[f"{what} of builder {k}: {why}" for what, why in (
    ("Templates", "a wide range of professional, mobile-responsive designs for every trade."),
    ("One platform", "hosting, domains and design tools together, with nothing else to buy."),
    ("Search", "tools to optimise the site for search engines from the very first day."),
)] for k in range(3)]
MENU = [f"Menu entry {i}" for i in range(6)]


def review_page() -> str:
    sections = "".join(
        f"<section class='rank-{k}'><div class='w-richtext'><h3>What we like about {k}</h3>"
        "<ul>" + "".join(f"<li>{item}</li>" for item in pros) + "</ul>"
        f"<p>Builder {k} plans start at fourteen euros a month, billed annually, and its "
        "support answers around the clock.</p></div></section>"
        for k, pros in enumerate(PROS))
    menu = "".join(f"<li><a href='/{i}'>{entry}</a></li>" for i, entry in enumerate(MENU))
    return (f"<html><head><title>Best website builders</title></head><body>"
            f"<div class='w-layout'>{sections}<div class='menu'><ul>{menu}</ul></div>"
            "</div></body></html>")


def extract(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


@pytest.fixture
def trafilaturas_own():
    with wild_text.trafilaturas_own():
        yield


def test_the_rebuilt_recovery_is_installed():
    """Fails when a trafilatura upgrade changes `recover_wild_text`: it is then left as
    it is (lists lost again where the main pass fails) until this is checked again."""
    assert main_extractor.recover_wild_text is not TRAFILATURAS


def test_a_review_keeps_its_headings_and_lists_of_pros():
    text = extract(review_page())
    for item in (item for pros in PROS for item in pros):
        assert item in text
    # with the paragraphs, in the page's order, and the menu still left out
    order = [text.index(part) for k in range(3) for part in (
        f"What we like about {k}", PROS[k][0], PROS[k][2], f"Builder {k} plans")]
    assert order == sorted(order)
    assert not any(entry in text for entry in MENU)


def test_trafilaturas_own_recovery_loses_them(trafilaturas_own):
    """What the rebuilt function is for: without it, the same page loses every list and
    heading."""
    text = extract(review_page())
    assert "Builder 0 plans" in text
    assert not any(item in text for pros in PROS for item in pros)
    assert "What we like" not in text


def test_pages_without_lists_or_headings_extract_as_before(trafilaturas_own):
    rebuilt = widened(TRAFILATURAS)
    for html in PAGES:
        if "<ul>" in html or "<h2>" in html:
            continue
        before = extract(html)
        main_extractor.recover_wild_text = rebuilt
        after = extract(html)
        main_extractor.recover_wild_text = TRAFILATURAS
        assert after == before


def test_a_changed_trafilatura_is_left_alone(monkeypatch, trafilaturas_own):
    monkeypatch.setattr(wild_text, "CHECKED_SOURCE", "0" * 64)
    assert wild_text.install() is False
    assert main_extractor.recover_wild_text is TRAFILATURAS


def test_trafilaturas_own_is_back_in_place_after_it():
    with wild_text.trafilaturas_own():
        assert main_extractor.recover_wild_text is TRAFILATURAS
    assert main_extractor.recover_wild_text is not TRAFILATURAS


def test_a_function_without_the_search_is_refused():
    def recover(tree):
        return tree.xpath(".//p")

    with pytest.raises(ValueError):
        widened(recover)
