"""Hard-wrapped plain text: its paragraphs come back whole; other pages' lines stay."""

import textwrap
from datetime import UTC, datetime

import pytest

from extract import RawPage, extract_page
from extract.reflow import reflowed, wrap_column

STORY = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "districts, after a year in which ridership on the existing lines doubled. The new "
    "lines will run every twenty minutes between midnight and five in the morning.",
    "Drivers' unions welcomed the plan but asked for more staff on the late shifts, which "
    "they say are already hard to fill across the whole of the current network, and for "
    "a guard on the busiest routes after several incidents last winter.",
    "The council's transport committee will meet the unions next week to discuss pay for "
    "the new shifts, and said the first lines would open in the spring if the budget for "
    "the coming year is approved by the full council in February.",
]


def article_of(text: str):
    page = RawPage(url="https://e.example/release.txt", source="test",
                   fetched_at=datetime(2024, 6, 20, tzinfo=UTC), body=text.encode(),
                   content_type="text/plain")
    return extract_page(page).article


@pytest.mark.parametrize("width", [64, 72, 80])
@pytest.mark.parametrize("between", ["\n", "\n\n"], ids=["no-blank-lines", "blank-lines"])
def test_a_hard_wrapped_story_comes_back_as_its_paragraphs(width, between):
    wrapped = between.join(textwrap.fill(p, width) for p in STORY)
    article = article_of(f"Home\nNews\nSport\n{wrapped}\nContact us\nPrivacy policy\n")
    assert article is not None
    assert article.text.split("\n\n") == STORY


def test_headlines_and_menus_are_not_joined():
    # lines in the wrapping range, each a line of its own: capitalised, any length
    lines = [
        "Council extends the night bus network to the northern districts",
        "Drivers' unions ask for more staff on the late shifts",
        "Transport committee to meet the unions next week over pay and safety",
        "First night lines to open in the spring if the budget is approved",
        "Ridership on the existing night lines doubled in a year",
        "Guards demanded on the busiest routes after incidents last winter",
        "Mayor says the cost will be covered by the transport budget",
        "Opposition questions the timing of the announcement before the vote",
    ]
    assert wrap_column(lines) is None
    assert reflowed("\n".join(lines)) == "\n".join(lines)


def test_paragraph_lines_of_a_copied_page_are_left_alone():
    page = "\n".join([*STORY, "Share", "Related stories"])
    assert reflowed(page) == page


def test_a_block_introduced_by_a_colon_keeps_its_lines():
    # in a hard-wrapped text, a list or code under "...as follows:" is not prose to join
    code = ["func CopyFile(dstName, srcName string) (written int64, err error) {",
            "src, err := os.Open(srcName)", "if err != nil {", "return", "}"]
    intro = ("For example, here is a function that opens two files and copies the contents "
             "of one file to the other, written the way most people first write it:")
    text = "\n".join([textwrap.fill(STORY[0], 72), textwrap.fill(STORY[1], 72),
                      textwrap.fill(intro, 72), *code, textwrap.fill(STORY[2], 72)])
    lines = reflowed(text).split("\n")
    assert lines == [STORY[0], STORY[1], intro, *code, STORY[2]]
