"""The writer's biography under the story ("Rebecca Norris is a freelance writer ...")
goes, in both paths: it is the site's page about the writer, repeated under each of
their stories. A story that ends on someone else, or a company, described the same way
keeps its end."""

import trafilatura

from extract import RawPage, extract_page
from extract.trailing import without_author_bio
from tests.extract.test_page import NOW
from tests.extract.test_teasers import ENGLISH
from tests.extract.test_text_page import text_of

BIO = ("Rebecca Norris is a full-time freelance writer living in the Washington, D.C. "
       "metro area. She has covered local government for ten years.")


def test_the_writers_biography_and_what_follows_it_go():
    assert without_author_bio([*ENGLISH, BIO], "Rebecca Norris") == ENGLISH
    assert without_author_bio([*ENGLISH, BIO, "Follow Rebecca on X"], "rebecca norris") \
        == ENGLISH


def test_a_last_paragraph_about_someone_else_or_a_company_stays():
    mayor = ("Janet Hill is the town's mayor and has promised a vote on the ferry link "
             "before the summer.")
    assert without_author_bio([*ENGLISH, mayor], "Rebecca Norris") == [*ENGLISH, mayor]
    company = "Clay is a design agency in San Francisco."
    assert without_author_bio([*ENGLISH, company], "Clay") == [*ENGLISH, company]
    # the writer named inside the story, not opening a biography
    quoted = "Rebecca Norris, who filed this report, said the vote was close."
    assert without_author_bio([*ENGLISH, quoted], "Rebecca Norris") == [*ENGLISH, quoted]
    # no byline, nothing to tell a biography by
    assert without_author_bio([*ENGLISH, BIO], None) == [*ENGLISH, BIO]


def test_an_html_pages_biography_under_the_story_goes():
    body = "".join(f"<p>{p}</p>" for p in ENGLISH)
    page = (f'<html><head><meta name="author" content="Rebecca Norris"></head><body>'
            f"<article><h1>Harbour budget approved</h1>{body}<p>{BIO}</p></article>"
            f"</body></html>")
    assert "freelance writer" in trafilatura.extract(page)
    article = extract_page(RawPage("https://news.example.com/harbour", "test", NOW,
                                   page.encode(), "text/html")).article
    assert article.author == "Rebecca Norris"
    assert article.text.split("\n\n") == ENGLISH


def test_a_text_pages_biography_under_the_story_goes():
    lines = ["Home | News | Sport", "Harbour budget approved", "By Rebecca Norris",
             *ENGLISH, BIO]
    assert text_of(lines).split("\n\n") == ENGLISH
