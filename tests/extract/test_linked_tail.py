"""Other stories' headlines closing an HTML page's text, each one a link (a box that
had no label, or lost it to the extractor), go; a list of links that the story
introduces, or whose items describe their links, is the story's and stays."""

import trafilatura

from extract import RawPage, extract_page
from extract.trailing import link_key, without_linked_tail
from tests.extract.test_page import NOW
from tests.extract.test_teasers import ENGLISH

HEADLINES = ["Pochettino fired by Tottenham after five years in charge",
             "Maradona out as coach of Gimnasia",
             "Who will replace Pochettino for Spurs?"]
BLURBS = ["The club reached the Champions League final in June.",
          "The coach would now be free to sign with another club.",
          "Here are some names to keep an eye on."]
LINKS = frozenset(link_key(h) for h in HEADLINES)
STORIES = list(zip(HEADLINES, BLURBS, strict=True))


def test_a_closing_run_of_linked_headlines_goes():
    assert without_linked_tail([*ENGLISH, *HEADLINES], LINKS) == ENGLISH
    cards = [f"- {h} {b}" for h, b in STORIES]
    assert without_linked_tail([*ENGLISH, *cards], LINKS) == ENGLISH


def test_the_storys_own_list_of_links_stays():
    introduced = [*ENGLISH[:2], "For more on the subject, try these:", *HEADLINES]
    assert without_linked_tail(introduced, LINKS) == introduced
    described = [*ENGLISH, *(f"- {h} – {b}" for h, b in STORIES)]
    assert without_linked_tail(described, LINKS) == described
    # one link alone closing the text, and paragraphs that are not links
    assert without_linked_tail([*ENGLISH, HEADLINES[0]], LINKS) == [*ENGLISH, HEADLINES[0]]
    assert without_linked_tail(ENGLISH, LINKS) == ENGLISH


def article(after: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in ENGLISH)
    return (f"<html><body><article><h1>Harbour budget approved</h1>{body}{after}</article>"
            f"</body></html>")


def text_of(page: str) -> list[str]:
    return extract_page(RawPage("https://news.example.com/harbour", "test", NOW,
                                page.encode(), "text/html")).article.text.split("\n\n")


def test_an_html_pages_closing_box_of_linked_cards_goes():
    cards = "".join(f'<div class="card"><p><a href="/s/{n}">{h}</a> {b}</p></div>'
                    for n, (h, b) in enumerate(STORIES))
    page = article(f"<div>{cards}</div>")
    assert "Maradona out" in trafilatura.extract(page)
    assert text_of(page) == ENGLISH


def test_an_html_pages_linked_cards_that_the_story_introduces_stay():
    cards = "".join(f'<p><a href="/s/{n}">{h}</a> {b}</p>'
                    for n, (h, b) in enumerate(STORIES))
    page = article(f"<p>For more on the subject, try these:</p>{cards}")
    assert text_of(page)[-3:] == [f"{h} {b}" for h, b in STORIES]
