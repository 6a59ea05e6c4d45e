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
