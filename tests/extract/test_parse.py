import pytest
import trafilatura
from lxml.html import HtmlElement, tostring
from trafilatura.utils import load_html

from extract.parse import parse_html

ARTICLE = "<p>" + "The council met on Tuesday to agree the budget for the coming year. " * 8 + "</p>"
PAGES = [
    f"<!DOCTYPE html><html><head><title>T</title></head><body>{ARTICLE}</body></html>",
    f'<?xml version="1.0" encoding="utf-8"?><html><body>{ARTICLE}</body></html>',
    f"<html/>\n<body>{ARTICLE}</body>",
    f"<body><form><label>Name</label><input name=q><select><option>a</select></form>{ARTICLE}",
    f"<div>{ARTICLE}</div><div>more</div>",
    "<p>one block</p>",
    "plain words, no markup at all",
    "\x00\x01 <html><body>control characters</body></html>",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_parses_to_the_tree_trafilatura_would_parse(page):
    ours, theirs = parse_html(page), load_html(page)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert tostring(ours) == tostring(theirs)
        assert all(isinstance(e, HtmlElement) for e in ours.iter() if isinstance(e.tag, str))


def test_trafilatura_extracts_the_same_text_from_either_tree():
    page = PAGES[3]
    ours = trafilatura.extract(parse_html(page))
    assert ours and "council met" in ours
    assert ours == trafilatura.extract(load_html(page))


# A header include that closes the page early: the article comes after `</html>`.
CLOSED_EARLY = (
    "<html><head><title>Budget</title></head><body><header><a href='/'>Home</a></header>"
    f"</body></html>\n<div class='wrap'><article><h1>Budget agreed</h1>{ARTICLE}"
    "<p>The vote was seven to six after a debate of four hours.</p></article></div>"
    "<footer>Contact</footer></body></html>")


def test_content_after_the_pages_end_is_moved_into_its_body():
    theirs = load_html(CLOSED_EARLY)
    assert "Budget agreed" not in theirs.text_content()  # libxml2 leaves it beside the root
    tree = parse_html(CLOSED_EARLY)
    body = tree.find("body")
    assert [child.tag for child in body] == ["header", "div", "footer"]
    assert "Budget agreed" in body.text_content() and "seven to six" in body.text_content()


def test_the_article_after_an_early_end_of_the_page_is_extracted():
    from datetime import UTC, datetime

    from extract import RawPage, extract_page

    page = RawPage("https://news.example.com/budget", "test", datetime(2024, 6, 20, tzinfo=UTC),
                   CLOSED_EARLY.encode(), "text/html")
    text = extract_page(page).article.text
    assert "The council met on Tuesday" in text and "seven to six" in text
