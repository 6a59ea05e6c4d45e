"""Page furniture inside an HTML page's story (a table of contents' heading, the reading
time, an update stamp, a lone label) goes from the text; sentences that open with the
same words stay."""

import pytest
import trafilatura

from extract import RawPage, extract_page
from extract.chrome import furniture
from tests.extract.test_page import NOW
from tests.extract.test_teasers import ENGLISH, html_page, html_text
from tests.extract.test_text_page import text_of


@pytest.mark.parametrize("line", [
    "Table of Contents", "Contents:", "In this article", "Inhaltsverzeichnis",
    "7 min read", "Jun 08, 2023 • 11 Minute Read", "Estimated reading time: 4 minutes",
    "5 Min. Lesezeit",
    "Last updated: April 21, 2025", "Updated on 09/10/2025", "Published on: February 14, 2025",
    "This post was last updated July 2021.", "آخر تحديث: 12 يونيو 2024",
    "Mis à jour le 12 mars 2024 à 10h30", "Updated at 1:23 p.m.",
    "Advertisement", "Share this post", "Tags:",
])
def test_a_furniture_line_between_two_paragraphs_goes(line):
    middle = f"<p>{line}</p>"
    assert line in trafilatura.extract(html_page(middle).decode())
    assert html_text(middle).split("\n\n") == ENGLISH


@pytest.mark.parametrize("sentence", [
    "Updated figures released by the harbour office on Monday show that 40 boats were "
    "damaged.",
    "Contents of the sea wall report were leaked to the local paper before the vote.",
    "Advertisement revenue at the harbour fell by a third last year, the council said.",
    "Published on the council's website, the plan runs to 212 pages.",
    "Readers can share this story with the council before the review.",
])
def test_a_sentence_that_opens_like_furniture_stays(sentence):
    assert not furniture(sentence)
    assert sentence in html_text(f"<p>{sentence}</p>").split("\n\n")


def test_a_stamp_under_the_story_goes_and_the_story_stays():
    page = html_page("").decode().replace("</article>", "<p>Updated at 1:23 p.m.</p></article>")
    assert "Updated at 1:23" in trafilatura.extract(page)
    assert html_text("<p>Updated at 1:23 p.m.</p>").split("\n\n") == ENGLISH
    text = extract_page(RawPage("https://news.example.com/harbour", "test", NOW, page.encode(),
                                "text/html")).article.text
    assert text.split("\n\n") == ENGLISH


@pytest.mark.parametrize("line", ["Table of Contents", "6 min read", "Updated July 9, 2025"])
def test_a_furniture_line_inside_a_text_pages_story_goes(line):
    page = ["Home | News | Sport", ENGLISH[0], line, ENGLISH[1], ENGLISH[2]]
    assert text_of(page).split("\n\n") == ENGLISH
