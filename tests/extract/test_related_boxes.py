"""A box of other stories under a related-stories header goes from an HTML page, even
when it holds more text than the story; a section of the story that happens to open
with such words, and a box that holds the page's headline, stay."""

from lxml.html import fromstring

from extract import RawPage, extract_page
from extract.html import related_boxes
from tests.extract.test_blocks import part
from tests.extract.test_page import NOW
from tests.extract.test_teasers import ENGLISH


def other_stories(n: int = 4) -> str:
    return "".join(f"<article><h4>Other story {i}</h4>{part(20 + i, 2)}</article>"
                   for i in range(n))


def page(after: str) -> str:
    story = "".join(f"<p>{p}</p>" for p in ENGLISH)
    return (f"<html><body><article><h1>Harbour budget approved</h1>{story}</article>"
            f"{after}</body></html>")


def text_of(html: str) -> str:
    raw = RawPage("https://news.example.com/harbour", "test", NOW, html.encode(), "text/html")
    return extract_page(raw).article.text


def test_a_box_of_other_stories_bigger_than_the_story_goes(monkeypatch):
    html = page(f'<div class="more"><h3>You may also like...</h3>{other_stories()}</div>')
    with monkeypatch.context() as patched:  # the failure fixed here
        patched.setattr("extract.html.related_boxes", lambda tree: [])
        assert "Part 20" in text_of(html)
    assert text_of(html).split("\n\n") == ENGLISH
    arabic = page(f'<section><h2>اقرأ أيضا</h2>{other_stories()}</section>')
    assert text_of(arabic).split("\n\n") == ENGLISH


def test_a_section_of_prose_under_such_a_heading_and_a_box_holding_the_headline_stay():
    section = '<section><h2>See also</h2><p>The council will publish the full plan.</p></section>'
    tree = fromstring(page(section))
    assert related_boxes(tree) == []
    wrapped = ('<html><body><div><h2>Trending</h2><article><h1>Harbour budget approved</h1>'
               + "".join(f"<p>{p}</p>" for p in ENGLISH) + "</article></div></body></html>")
    assert related_boxes(fromstring(wrapped)) == []
    assert text_of(wrapped).split("\n\n") == ENGLISH
