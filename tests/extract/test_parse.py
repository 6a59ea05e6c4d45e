from datetime import UTC, datetime

import pytest
import trafilatura
from lxml.html import HtmlElement, tostring
from trafilatura.utils import load_html

from extract.parse import parse_html

NOW = datetime(2024, 6, 20, tzinfo=UTC)

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


def test_paragraphs_nested_deep_by_unclosed_tags_are_all_kept():
    """A <font> opened and never closed before each paragraph nests every paragraph in
    the ones before it: past libxml2's default depth (255) the rest of the page was
    dropped without a word, 273 of these 400 paragraphs."""
    from extract import RawPage, extract_page

    paragraphs = [f"Paragraph {i} of the council's report on the budget for the coming "
                  f"year, which the members debated for hours on Tuesday." for i in range(400)]
    html = "<html><body><h1>Council agrees budget</h1>" + "".join(
        f"<font size=2><p>{p}" for p in paragraphs) + "</body></html>"
    assert len(parse_html(html).xpath("//p")) == 400
    page = RawPage(url="https://news.example/budget", source="test", fetched_at=NOW,
                   body=html.encode(), content_type="text/html")
    text = extract_page(page).article.text
    assert all(p in text for p in paragraphs)


def test_flattening_keeps_every_text_in_reading_order():
    from lxml.html import fromstring

    from extract.parse import flatten_below

    tree = fromstring("<div>a<b>b<i>c<u>d</u>e</i>f</b>g<s>h</s>i</div>")
    before = tree.text_content()

    assert flatten_below(tree, depth=2) == 1  # <u>, into <b>
    assert tree.text_content() == before == "abcdefghi"

    def below_root(element):
        return 0 if element is tree else 1 + below_root(element.getparent())

    assert max(below_root(e) for e in tree.iter()) == 2  # <div>, <b>, then <i> and <u>
    # two elements at the floor, each with its own nesting
    tree = fromstring("<div>a<b>b<i>c<u>d</u>e</i>f</b>g<s>h<q>x<a>y</a>z</q>w</s>i</div>")
    assert flatten_below(tree, depth=1) == 4  # <i>, <u>, <q>, <a>
    assert tree.text_content() == "abcdefghxyzwi"
    assert max(below_root(e) for e in tree.iter()) == 1


def test_a_page_deeper_than_libxml2s_limit_keeps_its_whole_text():
    # (up to the 2,048 levels libxml2 allows at all)
    words = [f"word{i}" for i in range(2000)]
    html = "<html><body>" + "".join(f"<div>{w} " for w in words) + "</body></html>"
    tree = parse_html(html)
    assert tree.text_content().split() == words
