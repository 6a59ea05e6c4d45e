"""Bylines that a page shows as a label and a name, with no markup that says so."""

import pytest
from lxml.html import fromstring

from extract.html import extract_html
from extract.labelled_bylines import linked_byline, text_byline

BODY = " ".join(["The council voted on Tuesday to close the old bridge to lorries."] * 12)


def tree(byline: str) -> object:
    return fromstring(f"<html><body><h1>Bridge closed</h1>{byline}<p>{BODY}</p></body></html>")


@pytest.mark.parametrize("byline, name", [
    ("<p>By <a href='/author/jane-doe/'>Jane Doe</a></p>", "Jane Doe"),
    # the label in an ancestor, the link wrapped, a date before the label
    ("<div><span>Written by:</span> <span><a href='https://x.example/authors/jane-doe'>"
     "Jane Doe</a></span></div>", "Jane Doe"),
    ("<div>May 3, 2017 By <a href='/by/ann-lee'>Ann Lee</a></div>", "Ann Lee"),
    ("<p>By <a href='/author/a'>Ann Lee</a> and <a href='/author/b'>Bo Chan</a></p>",
     "Ann Lee; Bo Chan"),
    ("<p>بقلم <a href='/writers/123'>محمد الرخا</a></p>", "محمد الرخا"),
    ("<p>Von <a rel='author' href='/redaktion'>Eva Braun-Schmidt</a></p>", "Eva Braun-Schmidt"),
])
def test_a_labelled_link_to_an_authors_page_is_the_byline(byline, name):
    assert linked_byline(tree(byline)) == name


@pytest.mark.parametrize("byline", [
    "<ul><li><a href='/author/jane-doe'>Jane Doe</a></li></ul>",  # a list of writers
    "<p>By <a href='/news/2024/bridge'>the council</a></p>",      # not an author's page
    "<p>Photo by <a href='https://unsplash.example/@x'>X</a></p>",
    "<div class='comments'><p>Reply by <a href='/author/troll'>Troll King</a></p></div>",
    "<aside class='related-posts'><p>By <a href='/author/other'>Other Writer</a></p></aside>",
    "<p>Recent posts by <a href='/author/jane-doe'>View all posts by this writer of many "
    "words here</a></p>",                                             # no name: too long
])
def test_other_links_to_writers_are_not_the_byline(byline):
    assert linked_byline(tree(byline)) is None


@pytest.mark.parametrize("byline, name", [
    ("<p>By Jane Doe</p>", "Jane Doe"),
    ("<div><span>Written by</span><span>Jane Doe</span></div>", "Jane Doe"),
    ("<p>Posted by: Ann de la Cruz</p>", "Ann de la Cruz"),
    ("<p>بقلم محمد الرخا</p>", "محمد الرخا"),
    ("<p>كتب - أحمد علي</p>", "أحمد علي"),
    # the tightest element that holds it, not the box with the job title beside it
    ("<div><div>Written by <span>Jane Doe</span></div><div>Content Marketing Coordinator"
     "</div></div>", "Jane Doe"),
])
def test_a_label_and_a_name_as_an_elements_whole_text_is_the_byline(byline, name):
    assert text_byline(tree(byline)) == name


@pytest.mark.parametrize("byline", [
    "<p>By Role</p>",                  # a filter, one word
    "<p>BY USE CASE</p>",              # a heading in capitals
    "<p>By the numbers</p>",           # not a name
    "<p>كتب وروايات جديدة</p>",          # "new books and novels"
    "<p>By Jane Doe, who has covered the council for a decade and more years</p>",
    "<div class='comment-body'><p>By Troll King</p></div>",
])
def test_other_short_texts_after_by_are_not_the_byline(byline):
    assert text_byline(tree(byline)) is None


def test_a_menu_before_the_headline_holds_no_byline():
    html = (f"<html><body><ul><li>By Use Case</li><li>By Industry Type</li></ul>"
            f"<h1>Bridge closed</h1><p>{BODY}</p></body></html>")
    assert text_byline(fromstring(html)) is None


def test_a_byline_element_holding_only_its_label_gives_way_to_the_link():
    """trafilatura's byline search takes the element marked as the author's, here only
    its label; the name is in the link beside it."""
    html = ("<html><head><title>Bridge closed</title></head><body><article>"
            "<h1>Bridge closed</h1><div><span class='author-label'>Written by</span> "
            f"<a href='/author/jane-doe'>Jane Doe</a></div><p>{BODY}</p><p>{BODY}</p>"
            "</article></body></html>")
    assert extract_html(html, "https://news.example/bridge").author == "Jane Doe"
