from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from extract import RawPage, extract_page

NOW = datetime(2024, 6, 20, tzinfo=UTC)
BODY = (
    "Officials from both countries signed a long-awaited agreement on Wednesday that "
    "commits them to mutual assistance in case of aggression against either party, "
    "according to statements released by the two governments after the meeting."
)
HTML = f"""<!doctype html><html lang="en"><head>
<title>Leaders sign mutual assistance pact | Example News</title>
<link rel="canonical" href="https://news.example.com/world/pact">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-06-19T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Leaders sign mutual assistance pact</h1>
<p>{BODY}</p>
<p>The treaty, which analysts described as the most significant in decades, also covers
economic cooperation, trade in energy, and joint work on transport infrastructure.</p>
<p>Critics in neighbouring capitals warned that the agreement could raise tensions in the
region and complicate existing sanctions regimes that have been in place for years.</p>
</article>
<footer>Copyright 2024 Example News. All rights reserved.</footer>
</body></html>"""


def raw(body: bytes, url="https://news.example.com/world/pact?utm=x", ctype="text/html"):
    return RawPage(url=url, source="test", fetched_at=NOW, body=body, content_type=ctype)


def test_html_page_gives_article_with_metadata_and_paragraphs():
    result = extract_page(raw(HTML.encode()))
    assert result.error is None
    a = result.article
    assert a.title.startswith("Leaders sign mutual assistance pact")
    assert a.canonical_url == "https://news.example.com/world/pact"
    assert a.language == "en"
    assert a.published_at.date().isoformat() == "2024-06-19"
    assert a.author == "Jane Reporter"
    paragraphs = a.text.split("\n\n")
    assert any(p.startswith("Officials from both countries") for p in paragraphs)
    assert len(paragraphs) >= 3
    assert "Sport" not in a.text and "All rights reserved" not in a.text


def test_the_headline_is_metadata_not_the_first_paragraph_of_the_body():
    a = extract_page(raw(HTML.encode())).article
    assert a.title == "Leaders sign mutual assistance pact"
    assert a.text.startswith("Officials from both countries")
    # With the site's name after the headline in the title, the same: the headline is
    # the page's h1 (the site's name is not part of it).
    titled = HTML.replace("<title>Leaders sign mutual assistance pact | Example News</title>",
                          '<meta property="og:title" content="Leaders sign mutual '
                          'assistance pact | Example News">')
    b = extract_page(raw(titled.encode())).article
    assert b.title == "Leaders sign mutual assistance pact"
    assert b.text.startswith("Officials from both countries")


def test_a_first_paragraph_that_only_begins_like_the_title_stays():
    from extract.html import without_title

    body = "Leaders sign\n\nSecond paragraph."
    assert without_title(body, "Leaders sign mutual assistance pact") == body
    text = "Leaders sign mutual assistance pact and more, said the minister.\n\nNext."
    assert without_title(text, "Leaders sign mutual assistance pact") == text


def test_a_japanese_headline_repeated_over_the_story_goes_though_it_is_two_tokens():
    """The declared title may run on with the byline; the paragraph that begins it is
    the headline. A run of Japanese characters is one token: its characters count."""
    from extract.html import without_title

    title = "米朝首脳直通電話 習氏に挑むトランプ戦術の成否 編集委員 中沢克二"
    text = "米朝首脳直通電話　習氏に挑むトランプ戦術の成否\n\n６月12日の歴史的な米朝首脳会談を巡って。"
    assert without_title(text, title) == "６月12日の歴史的な米朝首脳会談を巡って。"
    short = "米朝\n\n６月12日の歴史的な米朝首脳会談を巡って。"
    assert without_title(short, title) == short


def test_an_article_in_a_script_without_spaces_is_long_enough():
    body = ("東京都は本日、新しい防災計画を発表しました。計画には地震や台風に備えるための避難所の"
            "増設が含まれています。")
    page = (f"<html lang='ja'><head><title>防災計画</title></head><body><article>"
            f"<p>{body}</p><p>{body}</p></article></body></html>")
    result = extract_page(raw(page.encode(), url="https://news.example.jp/a"))
    assert result.error is None, result.error  # split on spaces, it was 2 "words"
    assert result.article.language == "ja"


def test_same_bytes_same_ids_other_bytes_other_ids():
    a = extract_page(raw(HTML.encode())).article
    b = extract_page(raw(HTML.encode())).article
    c = extract_page(raw(HTML.replace("Wednesday", "Thursday").encode())).article
    assert a.article_id == b.article_id and a.page_id == b.page_id
    assert c.page_id != a.page_id


@pytest.mark.parametrize(
    ("body", "ctype", "message"),
    [
        (b"", "text/html", "empty page"),
        (bytes(range(256)) * 40, None, "binary content"),
        (b"<html><body><p>Too short.</p></body></html>", "text/html", "no article"),
        (b"<html><body><div><p>Truncated page with an unclosed", "text/html", "no article"),
        (b"\x1f\x8b\x08\x00\x00\x00", None, "corrupt gzip"),
        (b"Menu\nSearch\nHome", "text/plain", "no article"),
    ],
)
def test_bad_pages_get_a_clear_error_and_never_raise(body, ctype, message):
    result = extract_page(raw(body, ctype=ctype))
    assert result.article is None
    assert message in result.error


def test_read_error_is_passed_through():
    page = RawPage("file:///x", "test", NOW, b"", None, read_error="unreadable file: denied")
    assert extract_page(page).error == "unreadable file: denied"


def test_text_page_in_windows_1256_is_extracted(tmp_path):
    from tests.conftest import seed_path

    text = seed_path("001").read_text(encoding="utf-8")
    result = extract_page(raw(text.encode("cp1256", errors="replace"), ctype="text/plain"))
    assert result.encoding == "cp1256"
    assert result.article.text.startswith("على عكس المتوقع")


def test_byline_in_the_page_is_the_author_when_meta_tags_have_none():
    # No author meta tag or JSON-LD: the byline element is found, and looking for it
    # (which prunes the parsed tree) leaves the article text whole.
    html = (HTML.replace('<meta name="author" content="Jane Reporter">', "")
            .replace("<article>", '<article><p class="byline author">By Sam Writer</p>'))
    a = extract_page(raw(html.encode())).article
    assert a.author == "Sam Writer"
    assert "Critics in neighbouring capitals" in a.text
    assert "mutual assistance in case of aggression" in a.text


def test_a_text_page_of_figures_keeps_its_sentences_instead_of_failing():
    # Prices and results are written around numbers, with few function words: no line
    # reaches the classifier's bar, yet the page is an article, not chrome.
    page = "\n".join([
        "Home | Markets | Weather | Sport",
        "Vegetable and meat prices on Wednesday, 19 February 2020",
        "Wholesale vegetable prices steady in Cairo and Giza markets Wednesday, 19 "
        "February 2020, after weeks of sharp rises.",
        "Vegetables:",
        "Tomatoes traded between 3 and 5 pounds a kilo, potatoes 6 pounds, onions 6 pounds, "
        "cucumbers 7 pounds, traders said.",
        "Beef: 110 to 120 pounds",
        "Lamb: 120 to 140 pounds",
        "Fish: tilapia 26 pounds a kilo, shrimp 130 pounds, catfish 20 pounds, mackerel and "
        "sardines unchanged from last week in most fish markets.",
        "Copyright 2020 Example Daily. All rights reserved.",
    ])
    article = extract_page(raw(page.encode(), url="https://e.example/prices.txt",
                               ctype="text/plain")).article
    assert article is not None
    assert "Tomatoes traded between 3 and 5 pounds" in article.text
    assert "tilapia 26 pounds" in article.text
    assert "Home | Markets" not in article.text and "Copyright" not in article.text


def test_an_extraction_that_kept_little_of_the_page_is_retried_in_recall_mode(monkeypatch):
    from types import SimpleNamespace

    from lxml.html import fromstring

    import extract.html as html_module

    words = " ".join(f"word{i}" for i in range(200))
    tree = fromstring(f"<html><body><div>{words}</div></body></html>")
    modes = []

    def fake(page, favor_recall=False, **kwargs):
        modes.append(favor_recall)
        return SimpleNamespace(text=words if favor_recall else "a lead of five words")

    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", fake)
    assert html_module.main_text(tree, None) == words and modes == [False, True]
    # A first choice that kept a fair share of the page is not second-guessed.
    modes.clear()
    monkeypatch.setattr(html_module, "RECALL_RETRY_SHARE", 0.01)
    assert html_module.main_text(tree, None) == "a lead of five words" and modes == [False]


def test_scripts_styles_and_drawings_go_but_json_ld_and_the_text_after_them_stay():
    from lxml.html import fromstring

    from extract.html import drop_non_content

    tree = fromstring(
        "<html><body><p>Lead<script>var tracking = 1;</script> tail one</p>"
        "<style>p { color: red }</style><svg><text>logo</text></svg>"
        '<script type="application/ld+json">{"articleBody": "the body"}</script>'
        "<noscript>enable javascript</noscript> tail two</body></html>")
    drop_non_content(tree)
    text = tree.text_content()
    for gone in ("tracking", "color: red", "logo", "enable javascript"):
        assert gone not in text
    for kept in ("Lead", "tail one", "tail two", '"articleBody"'):
        assert kept in text


MENU = " ".join(f'<a href="/section/{i}">Section number {i}</a>' for i in range(12))


def test_menus_and_footers_are_pruned_unless_they_hold_most_of_the_page():
    from lxml.html import fromstring

    from extract.html import MARKED_CHROME, mark_chrome, visible_size

    page = fromstring(HTML.replace("<nav>", f"<nav>{MENU}"))
    assert mark_chrome(page, visible_size(page)) == 2
    assert {e.tag for e in page.xpath(MARKED_CHROME)} == {"nav", "footer"}
    # An unclosed <nav> swallows the article after it: that one is not chrome.
    broken = fromstring(HTML.replace("</nav>", "").replace("<footer>", "<div>")
                        .replace("</footer>", "</div>"))
    assert broken.find(".//nav//article") is not None
    assert mark_chrome(broken, visible_size(broken)) == 0


def test_an_article_inside_an_unclosed_nav_is_still_extracted():
    html = HTML.replace("</nav>", "")
    article = extract_page(raw(html.encode())).article
    assert article is not None
    assert "Critics in neighbouring capitals" in article.text


def test_a_byline_in_an_aside_is_found_though_asides_are_pruned_from_the_text():
    html = (HTML.replace('<meta name="author" content="Jane Reporter">', "")
            .replace("</article>", '</article><aside><div class="author">Sam Writer</div>'
                     f"<p>{MENU}</p></aside>"))
    a = extract_page(raw(html.encode())).article
    assert a.author == "Sam Writer"
    assert "Section number" not in a.text
    assert "Critics in neighbouring capitals" in a.text


def test_a_date_written_in_the_article_header_is_found():
    page = HTML.replace(
        '<meta property="article:published_time" content="2024-06-19T10:00:00Z">', "").replace(
        "<h1>Leaders sign mutual assistance pact</h1>",
        '<h1>Leaders sign mutual assistance pact</h1><span class="date">June 18, 2024</span>')
    assert extract_page(raw(page.encode())).article.published_at.date().isoformat() == "2024-06-18"


def test_a_read_more_box_between_paragraphs_leaves_the_paragraphs_around_it():
    # Sites put a "read more" link to another story between two paragraphs of the body.
    # The paragraphs above and below it are body, though their neighbour is the box;
    # the box and its headline go, and the title stays the title.
    title = "الحكومة تعلن خطة جديدة لدعم المزارعين في موسم الحصاد"
    paragraphs = [
        "أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين، وقالت إنها ستبدأ في تنفيذها "
        "خلال الأسابيع المقبلة في كل المحافظات.",
        "وأوضح وزير الزراعة في مؤتمر صحفي أن الخطة تشمل قروضا ميسرة للمزارعين الصغار "
        "وتوفير البذور والأسمدة بأسعار مناسبة.",
        "وأضاف الوزير أن الحكومة خصصت لهذه الخطة مبلغا كبيرا من الميزانية، وأنها ستراجع "
        "نتائجها في نهاية العام الحالي.",
        "وكان المزارعون قد اشتكوا في الأشهر الماضية من ارتفاع أسعار الأسمدة والوقود، وطالبوا "
        "الحكومة بالتدخل لمساعدتهم على الاستمرار في الزراعة، خاصة بعد تراجع الأسعار التي "
        "يبيعون بها محاصيلهم في الأسواق.",
    ]
    other_story = "منتخب الشباب يفوز على ضيفه بهدفين في مباراة ودية"
    page = "\n\n".join([title, paragraphs[0], "إقرأ المزيد", other_story, *paragraphs[1:],
                        "المصدر: وكالات"])
    article = extract_page(raw(page.encode(), url="https://e.example/farmers.txt",
                               ctype="text/plain")).article
    assert article is not None
    assert article.title == title
    assert article.text.split("\n\n") == paragraphs


def test_a_dump_of_the_page_is_retried_in_recall_mode(monkeypatch):
    from types import SimpleNamespace

    from lxml.html import fromstring

    import extract.html as html_module

    paragraphs = [" ".join(f"p{k}word{i}" for i in range(60)) for k in range(6)]
    menu = "Home News Sport Weather Subscribe Sign in By Jane Roe Full Bio"
    dump = " ".join([menu, *paragraphs])  # what trafilatura's baseline gives: no breaks
    tree = fromstring("<html><body>" + "".join(f"<div>{p}</div>" for p in paragraphs)
                      + "</body></html>")
    answers = {}

    def fake(page, favor_recall=False, **kwargs):
        return SimpleNamespace(text=answers[favor_recall])

    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", fake)
    answers.update({False: dump, True: "\n".join(paragraphs)})
    assert html_module.main_text(tree, None) == "\n".join(paragraphs)
    # A retry that lost much of the dump's text lost part of the story: the dump stays.
    answers[True] = "\n".join(paragraphs[:3])
    assert html_module.main_text(tree, None) == dump
    # So does a retry that is a dump again.
    answers[True] = " ".join(paragraphs)
    assert html_module.main_text(tree, None) == dump


def test_a_page_without_a_date_takes_the_date_its_feed_gave():
    """An undated article has no event window; the feed's date gives it one, in the
    warehouse's naive UTC, and wins over a date guessed from the page's text (here the
    footer's copyright year, as 1 January). A date the page declares stays."""
    listed = datetime(2024, 6, 19, 23, 30, tzinfo=timezone(timedelta(hours=-4)))
    undated = HTML.replace('<meta property="article:published_time" '
                           'content="2024-06-19T10:00:00Z">', "")
    page = RawPage("https://news.example.com/world/pact", "feed", NOW, undated.encode(),
                   "text/html", listed_at=listed)
    assert extract_page(replace(page, listed_at=None)).article.published_at == datetime(
        2024, 1, 1)
    assert extract_page(page).article.published_at == datetime(2024, 6, 20, 3, 30)
    dated = replace(page, body=HTML.encode())
    assert extract_page(dated).article.published_at == datetime(2024, 6, 19)
    text = RawPage("https://news.example.com/a.txt", "feed", NOW,
                   f"Leaders sign pact\n\n{BODY}\n".encode(), "text/plain", listed_at=listed)
    assert extract_page(text).article.published_at == datetime(2024, 6, 20, 3, 30)


def test_a_text_page_counts_its_chrome_as_boilerplate_but_not_its_headline():
    story = f"{BODY}\n\nThe treaty also covers economic cooperation, trade in energy and joint work.\n"
    clean = extract_page(raw(f"Leaders sign mutual assistance pact\n\n{story}".encode(),
                             ctype="text/plain"))
    assert clean.article.title == "Leaders sign mutual assistance pact"
    assert clean.stats["boilerplate_lines"] == 0
    chrome = "Home\nWorld\nSport\nSearch\n\nLeaders sign mutual assistance pact\n\n"
    framed = extract_page(raw(f"{chrome}{story}Share this article\nCopyright 2024 Example News\n"
                              .encode(), ctype="text/plain"))
    assert framed.article.text == clean.article.text
    assert framed.stats["boilerplate_lines"] == 6
