"""Another story's teaser on a line of its own ("READ MORE: a headline") is a link to
elsewhere, never the story's text: it goes from text pages and from HTML pages alike,
and the paragraphs on either side of it stay."""

import pytest

from extract import RawPage, extract_page
from extract.chrome import RELATED, TEASER
from tests.extract.test_page import NOW
from tests.extract.test_text_page import FRENCH, text_of
from tests.extract.test_text_titles import STORY

ENGLISH = [
    "The council approved the harbour budget on Tuesday night after a debate that ran for "
    "more than four hours and ended with a narrow vote of seven to six.",
    "The plan sets aside money for new moorings, a repaired sea wall and a ferry link to "
    "the islands, which residents have asked for since the old one closed.",
    "Opponents said the cost of the sea wall had doubled since the first estimate and asked "
    "for an independent review before any contract is signed next spring.",
]


@pytest.mark.parametrize("body, teaser", [
    (ENGLISH, "READ MORE: Should the town sell its old ferry terminal?"),
    (ENGLISH, "Also read: Ten years of the harbour festival in pictures"),
    (STORY, "اقرأ أيضاً : تسجيل 67 إصابة كورونا جديدة بمدن الضفة الغربية"),
    (FRENCH, "Lire aussi : Le prix du blé au plus bas depuis trois ans"),
], ids=["read-more", "also-read", "ar", "fr"])
def test_a_teaser_between_two_paragraphs_of_a_text_page_goes(body, teaser):
    assert text_of(["Home | News | Sport", body[0], teaser, body[1], body[2]]).split(
        "\n\n") == body


def html_page(middle: str) -> bytes:
    paragraphs = [f"<p>{line}</p>" for line in ENGLISH]
    return (f"<html><body><article><h1>Harbour budget approved</h1>{paragraphs[0]}{middle}"
            f"{paragraphs[1]}{paragraphs[2]}</article></body></html>").encode()


def html_text(middle: str) -> str:
    page = RawPage("https://news.example.com/harbour", "test", NOW, html_page(middle),
                   "text/html")
    return extract_page(page).article.text


def test_a_teaser_paragraph_of_an_html_page_goes():
    import trafilatura

    teaser = ('<p><strong>READ MORE:</strong> <a href="/ferry">Should the town sell its old '
              'ferry terminal?</a></p>')
    assert "ferry terminal" in trafilatura.extract(html_page(teaser).decode())
    assert html_text(teaser).split("\n\n") == ENGLISH


def test_a_sentence_that_opens_like_a_label_is_not_a_teaser():
    sentence = ("Related coverage of the vote was limited: only two papers sent a reporter "
                "to the council chamber on Tuesday.")
    assert not TEASER.match(sentence)
    assert sentence in html_text(f"<p>{sentence}</p>")
    assert not TEASER.match("Read more about the plan in the council's own summary.")


def test_a_header_alone_opens_a_box_and_is_no_teaser():
    for header in ("Read more", "Related stories:", "اقرأ أيضا:", "See more...", "Read This Next",
                   "What to read next"):
        assert RELATED.match(header) and not TEASER.match(header)
