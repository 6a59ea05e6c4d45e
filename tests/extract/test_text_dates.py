"""A rendered-text page's date: written on a line of its own or inside a line of other
words, and the publication's date before the last update's."""

from datetime import datetime

from extract.dates import date_in_line, line_dates
from extract.text_page import extract_text_page


def test_a_date_inside_a_line_of_other_words_is_found():
    assert date_in_line("By Haley Hoekstra • March 12, 2025", "en") == datetime(2025, 3, 12)
    assert date_in_line("Essay - Published: 2025.12.17 | programming |", "en") == datetime(
        2025, 12, 17)
    assert date_in_line("محمد الرخا - دبي - الأربعاء 19 يونيو 2024 08:28 مساءً", "ar").date() == (
        datetime(2024, 6, 19).date())


def test_dates_in_the_pages_own_language_are_read_in_it():
    # Given Turkish and English together, dateparser read "Mart" as a time zone and the
    # day as the month: 1 December.
    assert date_in_line("Yayınlanma: 12 Mart 2024 14:30", "tr") == datetime(2024, 3, 12)
    assert date_in_line("نشر في 23 نوفمبر، 2024 11:13 ص", "ar") == datetime(2024, 11, 23)
    assert date_in_line("Publicado el 12 de marzo de 2024", "es") == datetime(2024, 3, 12)
    assert date_in_line("发布时间：2024年3月12日", "zh") == datetime(2024, 3, 12)


def test_a_year_in_a_headline_is_no_date():
    assert date_in_line("Top 10 Best Rated Coding Bootcamps in 2025", "en") is None
    assert date_in_line("Sales rose 12 percent in 2025 across the region", "en") is None


def test_an_update_is_told_from_the_publication():
    assert line_dates("December 22, 2022 Updated: January 02, 2026", "en") == (
        datetime(2022, 12, 22), datetime(2026, 1, 2))
    assert line_dates("Last Updated on Feb 24, 2026", "en") == (None, datetime(2026, 2, 24))


STORY = [
    "The council voted on Tuesday night to close the old bridge to traffic until spring, "
    "after engineers found cracks in two of its supports during an inspection last month.",
    "Drivers will have to use the ring road instead, which adds about fifteen minutes to "
    "a trip into the town centre at peak hours, according to the council's own figures.",
]
MENU = ["Home", "News", "Local", "Sport"]


def test_a_page_is_dated_by_its_publication_not_its_update():
    page = [*MENU, "Council closes the old bridge until spring",
            "By Jane Doe • June 19, 2024", "Last updated: June 21, 2024", *STORY]
    result = extract_text_page("\n".join(page))
    assert result.published_at == datetime(2024, 6, 19)
    assert result.text.split("\n\n") == STORY
    updated_only = [*MENU, "Council closes the old bridge until spring",
                    "Last updated: June 21, 2024", *STORY]
    assert extract_text_page("\n".join(updated_only)).published_at == datetime(2024, 6, 21)


def test_a_date_under_a_menus_kept_blurbs_is_found():
    # The menu's one-line descriptions pass for paragraphs, so the page's header (what
    # lies above its first kept line) ends above them; the date, above the headline, and
    # the headline are further down.
    menu = ["Home", "Programs",
            "Learn more about our degree and certificate programs in health and "
            "pre-sciences for adults who work full time.",
            "Degrees", "Certificates", "Events", "Book a demo", "Log in"]
    page = [*menu, "October 8, 2024", "Council closes the old bridge until spring", *STORY]
    result = extract_text_page("\n".join(page))
    assert result.published_at == datetime(2024, 10, 8)
    assert result.title == "Council closes the old bridge until spring"
