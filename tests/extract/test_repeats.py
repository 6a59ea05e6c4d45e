"""A page that renders its article twice gives it once; what a writer repeats stays."""

from extract import RawPage, extract_page
from extract.repeats import without_repeated_runs
from tests.extract.test_page import NOW
from tests.extract.test_teasers import ENGLISH

MORE = ["The ferry link would run twice a day in summer and once a day in winter, the "
        "harbour board said, with a larger boat on market days.",
        "A public meeting on the plan will be held in the town hall in May."]
STORY = ENGLISH + MORE


def test_a_second_and_third_copy_of_the_story_go():
    assert without_repeated_runs(STORY + STORY) == STORY
    assert without_repeated_runs(STORY + ["Share"] + STORY + STORY) == STORY + ["Share"]


def test_what_the_writer_repeats_stays():
    table = ["| Boat | Seats | Speed |", "| Islander | 120 | 12 knots |",
             "| Harbour Star | 80 | 15 knots |"]
    # The same small table shown again further down is a fraction of the text.
    text = table + STORY + STORY[:2] + table + STORY[2:]
    assert without_repeated_runs(text) == text
    # A line used again and again ("Meal 1") is a label, not a copy of the text.
    plan = [line for day in range(1, 4) for line in
            (f"Day {day}", "Meal 1", "Eat every 2-3 hours", "Meal 2", "Eat every 2-3 hours")]
    assert without_repeated_runs(plan) == plan


def test_a_page_of_one_line_repeated_is_left_as_it_is():
    lines = ["Loading..."] * 5000
    assert without_repeated_runs(lines) == lines


def test_an_html_page_with_its_article_in_two_layouts_gives_it_once():
    layout = "".join(f"<p>{p}</p>" for p in STORY)
    html = ("<html><body><article><h1>Harbour budget approved</h1>"
            f"<div class='mobile'>{layout}</div><div class='desktop'>{layout}</div>"
            "</article></body></html>")
    page = RawPage("https://news.example.com/harbour", "test", NOW, html.encode(), "text/html")
    assert extract_page(page).article.text.split("\n\n") == STORY
