from datetime import datetime

from htmldate import extractors

from extract.date_locales import date_languages, dates_read_in
from extract.dates import without_second_fraction
from extract.html import drop_non_content
from extract.language import declared_language
from extract.metadata import page_metadata
from extract.parse import parse_html


def page(lang_attr: str, body: str, head: str = "") -> object:
    tree = parse_html(f"<html {lang_attr}><head><title>x</title>{head}</head><body><div>"
                      f"<h2>Noticia</h2><p>{body}</p><p>Texto del artículo.</p></div></body></html>")
    drop_non_content(tree)
    return tree


def test_the_declared_language_is_the_html_lang_then_the_meta_tags():
    assert declared_language(page('lang="ar-EG"', "x")) == "ar"
    assert declared_language(page("", "x", '<meta property="og:locale" content="fr_FR">')) == "fr"
    assert declared_language(page("", "x", '<meta http-equiv="content-language" content="de">')) == "de"
    assert declared_language(page('lang=""', "x")) is None


def test_dates_are_read_in_the_declared_language_and_english():
    assert date_languages("es") == ("es", "en")
    assert date_languages("en") == ("en",)
    assert date_languages("no") == ("nb", "en")  # dateparser's name for Norwegian
    assert date_languages(None) is None and date_languages("xx") is None


def test_a_date_only_dateparser_reads_is_found_in_the_pages_declared_language():
    assert page_metadata(page('lang="es"', "19 de junio de 2024"), None).date == "2024-06-19"
    # no language declared: every locale, as htmldate does
    assert page_metadata(page("", "19 de junio de 2024"), None).date == "2024-06-19"


def test_a_string_reads_the_same_whatever_pages_came_before():
    """htmldate caches what it read from a string for the process; the cache must not
    hand a Spanish page's reading to an English page, or the reverse."""
    args = ("%Y-%m-%d", True, datetime(1995, 1, 1), datetime(2030, 1, 1))
    string = "martes, 19 junio 2024 10:30"
    for order in ((("es", "en"), ("en",)), (("en",), ("es", "en"))):
        read = {}
        for languages in order:
            with dates_read_in(languages):
                read[languages] = extractors.try_date_expr(string, *args)
        assert read == {("es", "en"): "2024-06-19", ("en",): None}


def test_letters_the_declared_language_cannot_read_get_every_locale():
    """A template that says lang="en" over a French or Arabic page."""
    with dates_read_in(("en",)):
        assert extractors._external_date("mercredi 19 juin 2024") is None  # ASCII: en only
        assert extractors._external_date("الأربعاء 19 يونيو 2024").day == 19
        assert extractors._external_date("19 juin 2024 à 10h").day == 19


def test_a_timestamp_with_a_fraction_of_a_second_dates_the_page():
    """htmldate 1.11 drops "2025-12-05T11:00:22.000Z" (JavaScript's toISOString) as no
    date, so the Guardian's pages were dated by their amendment note, not their
    `article:published_time`."""
    head = ('<meta property="article:modified_time" content="2025-12-08T15:40:43.000Z">'
            '<meta property="article:published_time" content="2025-12-05T11:00:22.000Z">')
    tree = page('lang="en"', "This article was amended on 8 December 2025", head)
    assert page_metadata(tree, None).date == "2025-12-05"
    args = ("%Y-%m-%d", True, datetime(1995, 1, 1), datetime(2030, 1, 1))
    with dates_read_in(("en",)):
        for stamp in ("2025-12-05T11:00:22.123456+00:00", "2025-12-05T11:00:22.000-05:00",
                      "2025-12-05 11:00:22,5"):
            assert extractors.try_date_expr(stamp, *args) == "2025-12-05", stamp


def test_only_timestamps_lose_a_fraction():
    for other in ("2025-12-05", "12.000 EUR", "2025-12-05T11:00:22Z", "v2.5.1"):
        assert without_second_fraction(other) == other
    assert without_second_fraction(" 2025-12-05T11:00:22.000Z ") == "2025-12-05T11:00:22Z"
