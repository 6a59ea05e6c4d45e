from lxml.html import fromstring

from extract import RawPage, extract_page
from extract.headline import h1_texts, headline, without_site_name

URL = "https://www.aljazeera.net/news/2024/6/19/putin-kim"


def test_the_h1_is_the_headline_when_it_matches_the_declared_title():
    assert headline("What is Cloud Computing? | Google Cloud", ["What is Cloud Computing?"],
                    "Google Cloud", "https://cloud.google.com/learn") == "What is Cloud Computing?"
    # another wording of the same headline, for search engines
    assert headline("Fitness Trends 2025: 9 Things to Keep an Eye On - Example",
                    ["9 Fitness Trends to Keep An Eye On In 2025"], "Example",
                    None) == "9 Fitness Trends to Keep An Eye On In 2025"


def test_a_logo_or_a_label_in_an_h1_is_not_the_headline():
    # the site's name as the first h1, the headline as the second
    assert headline("Budget Travel With Gabby", ["Budget Travel With Gabby",
                                                 "Budget Traveler's Guide To Travel Insurance"],
                    "Budget Travel With Gabby", None) == "Budget Traveler's Guide To Travel Insurance"
    # a one-word h1, and an h1 sharing no word with the title
    assert headline("Putin and Kim sign a defence pact - Example News",
                    ["Menu", "Subscribe to our newsletter"], "Example News",
                    None) == "Putin and Kim sign a defence pact"


def test_another_storys_h1_sharing_only_function_words_is_not_the_headline():
    # Digg's page of one story whose only <h1> is a promoted other story's
    declared = ("The Early Reviews For Google's Stadia Gaming Platform Are Here — And They're "
                "Not Great - Digg")
    assert headline(declared, ["'Why Don't You Go Fight For The Reindeer?'"], "Digg",
                    "https://digg.com/2019/google-stadia-reviews") == (
        "The Early Reviews For Google's Stadia Gaming Platform Are Here — And They're Not Great")


def test_without_an_h1_the_site_name_is_cut_from_either_end():
    site = "الجزيرة نت"
    assert headline("بوتين وكيم يوقعان اتفاقية شراكة | الجزيرة نت", [], site, URL) == (
        "بوتين وكيم يوقعان اتفاقية شراكة")
    assert without_site_name("Reuters - Putin arrives in Pyongyang", "Reuters", None) == (
        "Putin arrives in Pyongyang")
    # the host name stands for the site when the page does not name it
    assert without_site_name("Cheap flights explained – Move.org", None,
                             "https://www.move.org/flights") == "Cheap flights explained"
    assert without_site_name("Health And Nutrition Trends For 2026 - Tastewise", None,
                             "https://tastewise.io/blog/x") == "Health And Nutrition Trends For 2026"


def test_a_title_whose_parts_do_not_name_the_site_is_kept_whole():
    for title in ("COVID-19 cases rise in Spain - the latest figures",
                  "Kim Jong Un – Vladimir Putin: the summit in pictures",
                  "One - Two - Three"):
        assert without_site_name(title, "Example News", "https://example.com/a") == title
    assert headline(None, [], None, None) is None
    assert headline(None, ["Putin lands in Pyongyang"], None, None) == "Putin lands in Pyongyang"


def test_h1_texts_are_whitespace_collapsed_and_capped():
    tree = fromstring("<html><body>" + "<h1> a\n  <b>b</b> </h1><h1></h1>" * 30 + "</body></html>")
    texts = h1_texts(tree)
    assert texts[0] == "a b" and len(texts) == 10


def test_an_html_article_takes_its_visible_headline_and_leaves_it_out_of_the_body():
    body = " ".join(["The two leaders signed a comprehensive strategic partnership treaty."] * 6)
    html = ("<html><head><title>Putin and Kim sign pact | Example News</title>"
            "<meta property='og:site_name' content='Example News'></head><body>"
            "<header><h1>Example News</h1></header><article>"
            "<h1>Putin and Kim sign a mutual defence pact in Pyongyang</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>")
    page = RawPage("https://example.com/pact", "test", None, html.encode(), "text/html")
    article = extract_page(page).article
    assert article.title == "Putin and Kim sign a mutual defence pact in Pyongyang"
    assert not article.text.startswith("Putin and Kim")


def test_a_subdomain_word_in_the_title_does_not_make_it_the_site():
    assert without_site_name("Putin arrives - Breaking news today", None,
                             "https://news.example.com/a") == "Putin arrives - Breaking news today"
    assert without_site_name("Putin arrives - BBC", None,
                             "https://news.bbc.co.uk/a") == "Putin arrives"
