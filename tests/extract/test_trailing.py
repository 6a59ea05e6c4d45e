"""The site's end matter under a story (calls to action, a closing box of other
headlines) goes; the story's own last paragraphs, whatever words they use, stay."""

import pytest

from extract import RawPage, extract_page
from extract.trailing import without_end_matter, without_leading_chrome
from tests.extract.test_page import NOW
from tests.extract.test_teasers import ENGLISH
from tests.extract.test_text_titles import STORY

NEWSLETTER = ["Sign up for our newsletter.",
              "Get the day's biggest stories delivered straight to your inbox every morning.",
              "Thanks for signing up!", "12 Comments"]
BOX = ["You may also like...", "Who will run the ferry next summer?",
       "Harbour festival returns with a new stage", "Five walks along the old sea wall"]


def test_calls_to_action_and_a_closing_box_of_headlines_go():
    assert without_end_matter(ENGLISH + BOX + NEWSLETTER) == ENGLISH
    assert without_end_matter(ENGLISH + NEWSLETTER + BOX) == ENGLISH
    assert without_end_matter(ENGLISH + BOX + ["Connect with me here:"]) == ENGLISH
    videos = ["Subscribe to our YouTube channel for all of the latest videos and reviews!",
              "Harbour ferry review: the new boat on its first crossing [Video]",
              "Five minutes on the sea wall in a storm [Video]"]
    assert without_end_matter(ENGLISH + videos) == ENGLISH
    assert without_end_matter(STORY + ["تابعونا على تويتر وفيسبوك", "اشترك في النشرة البريدية"]) \
        == STORY


def test_a_box_of_cards_under_a_call_goes_but_the_storys_own_list_stays():
    """Other stories as list items of a headline and its summary, a sentence or two,
    below a newsletter box: not headlines alone, still not the story's."""
    cards = ["- Ferry operator names new captain The harbour's oldest skipper takes the "
             "helm of the winter crossing after thirty years on the quay.",
             "- Harbour festival returns with a new stage",
             "- Five walks along the old sea wall From the lighthouse to the fish market, "
             "the routes locals take when the tide is out."]
    assert without_end_matter(ENGLISH + NEWSLETTER[:3] + cards) == ENGLISH
    # the same items closing the story with no call or header above them are its own
    assert without_end_matter(ENGLISH + cards) == ENGLISH + cards
    # and a story's closing list of points, longer than a card, stays under a call
    points = ["- The council will publish every response it receives to the consultation, "
              "and the harbour board has promised to answer the questions that come up most "
              "often at a public meeting in the town hall in May, before the budget vote "
              "that decides whether the winter crossing runs again next year.",
              "- Harbour festival returns with a new stage"]
    assert without_end_matter(ENGLISH + NEWSLETTER[:1] + points) == ENGLISH + NEWSLETTER[:1] + points


WIRE_SITE_END = [
    "Write to Jane Roe at jane.roe@news.example.com",
    "An error has occurred, please try again later.", "Thank you",
    "This article has been sent to",
    "Like this story? Share it with a friend!",
    "If you enjoyed this article, we have a proposition for you: join our members.",
    "Follow The Daily Harbour's opinion section on Facebook, Twitter and Instagram.",
]


def test_a_share_boxs_replies_the_writers_address_and_social_calls_go():
    for line in WIRE_SITE_END:
        assert without_end_matter(ENGLISH + [line]) == ENGLISH, line
    assert without_end_matter(ENGLISH + WIRE_SITE_END) == ENGLISH
    said = ENGLISH + ['"Thank you," the mayor said as the vote closed, and left the chamber.']
    assert without_end_matter(said) == said


def test_the_storys_own_words_about_subscribing_stay():
    closing = ("Residents who want the ferry back can sign up for the council's consultation, "
               "which opens on Monday and runs for six weeks; the council says it will publish "
               "every response it receives, and the harbour board has promised to answer the "
               "questions that come up most often at a public meeting in the town hall in May.")
    assert without_end_matter(ENGLISH + [closing]) == ENGLISH + [closing]
    middle = ENGLISH[:1] + ["Sign up for the consultation opens on Monday."] + ENGLISH[1:]
    assert without_end_matter(middle) == middle


def test_a_header_with_prose_after_it_and_a_list_of_sources_stay():
    related = ENGLISH + ["Related:", "The council had voted on a smaller plan in 2019, which "
                         "the harbour board rejected because it left out the sea wall."]
    assert without_end_matter(related) == related
    sources = ENGLISH + ["https://council.example.gov/budget-2024.pdf",
                         "https://harbour.example.org/sea-wall-report"]
    assert without_end_matter(sources) == sources


def test_a_short_text_is_never_trimmed_to_nothing():
    assert without_end_matter(["Sign up now", "Subscribe to our newsletter"]) == [
        "Sign up now", "Subscribe to our newsletter"]


def test_an_html_storys_newsletter_box_and_comments_header_go():
    import trafilatura

    box = ('<div class="cta"><h3>Sign up for our newsletter.</h3><p>Get the day\'s biggest '
           'stories delivered straight to your inbox every morning.</p></div><h3>12 Comments</h3>')
    html = ("<html><body><article><h1>Harbour budget approved</h1>"
            + "".join(f"<p>{p}</p>" for p in ENGLISH) + box + "</article></body></html>")
    assert "straight to your inbox" in trafilatura.extract(html)  # the failure fixed here
    page = RawPage("https://news.example.com/harbour", "test", NOW, html.encode(), "text/html")
    assert extract_page(page).article.text.split("\n\n") == ENGLISH


def test_chrome_lines_above_an_html_story_go_and_its_headline_with_them():
    assert without_leading_chrome(["Share", "Photo: Jane Roe, AP", *ENGLISH]) == ENGLISH
    assert without_leading_chrome(["Share", "Tweet"]) == ["Share", "Tweet"]
    link = "https://news.example.com/harbour/2024/06/20/budget-approved"
    html = (f"<html><head><title>Harbour budget approved</title></head><body><article>"
            f"<p>{link}</p><h1>Harbour budget approved</h1>"
            + "".join(f"<p>{p}</p>" for p in ENGLISH) + "</article></body></html>")
    page = RawPage(link, "test", NOW, html.encode(), "text/html")
    assert extract_page(page).article.text.split("\n\n") == ENGLISH


BIO = ["About the Author",
       "Jane Roe has covered the harbour and the islands for The Daily Harbour since 2012. "
       "Before that she reported on local politics for the county paper."]
COOKIES = ["Privacy Overview",
           "This website uses cookies to improve your experience while you navigate through "
           "the website. Necessary cookies are absolutely essential for it to function.",
           "| cookielawinfo-checkbox-analytics | 11 months | This cookie is set by the GDPR "
           "Cookie Consent plugin. |"]


def test_the_writers_box_and_a_cookie_notice_close_the_story_with_their_prose():
    assert without_end_matter(ENGLISH + BIO) == ENGLISH
    assert without_end_matter(ENGLISH + COOKIES) == ENGLISH
    assert without_end_matter(ENGLISH + BIO + COOKIES) == ENGLISH
    arabic_bio = ["عن الكاتب", "صحفية تغطي شؤون الميناء والجزر منذ عام 2012 وعملت قبل ذلك "
                  "في صحيفة المقاطعة."]
    assert without_end_matter(STORY + arabic_bio) == STORY


def test_a_writers_box_above_the_story_is_not_its_end():
    # In the text's first half the header opens the page's byline box, and the story
    # follows it: nothing is cut.
    text = BIO + ENGLISH + ENGLISH
    assert without_end_matter(text) == text


CARDS = [
    "Daily", "Dec 19, 2025", "Cathay Pacific Launches First Aria Suite Experience",
    "Cathay Pacific introduces its retrofitted Boeing 777-300ER aircraft to the United "
    "States for the first time, with new suites in business class.",
    "Sponsored Content", "Dec 18, 2025", "Ireland: The Pinnacle of Golf by the Sea",
    "With the legacy of The Open at Royal Portrush still fresh, Ireland secured its place "
    "among the world's most exciting golf destinations.",
    "eFlyer News", "Dec 17, 2025", "Rosewood London Unveils The Chalet",
    "Rosewood London recently unveiled The Chalet, an alpine-inspired terrace.",
]


def test_a_feed_of_dated_cards_under_the_story_goes_with_its_blurbs():
    assert without_end_matter(ENGLISH + ["Insta Feed"] + CARDS) == ENGLISH + ["Insta Feed"]


def test_the_storys_own_dated_entries_stay():
    # A timeline runs oldest first; a feed lists the newest first.
    timeline = ["Key dates", "March 3, 2019", "The council first voted on a smaller plan.",
                "June 12, 2021", "The harbour board rejected the plan over the sea wall.",
                "January 9, 2024", "A new plan was put to the council."]
    assert without_end_matter(ENGLISH * 2 + timeline) == ENGLISH * 2 + timeline
    # A live blog's entries carry the time of day.
    live = ["Dec 19, 2025 10:32", "The vote has started.", "Dec 19, 2025 09:15",
            "Councillors are taking their seats.", "Dec 19, 2025 08:50",
            "The public gallery is full."]
    assert without_end_matter(ENGLISH * 2 + live) == ENGLISH * 2 + live
    # Dated entries from the top are the text itself (a diary, a list of releases).
    diary = ["Dec 19, 2025", ENGLISH[0], "Dec 18, 2025", ENGLISH[1], "Dec 17, 2025", ENGLISH[2]]
    assert without_end_matter(diary) == diary


def test_the_sites_word_that_readers_comments_are_their_own_goes():
    # Under CNN Arabic's stories, and ultimahora.es's: the comment box's disclaimer, and
    # its header alone as the last line.
    arabic = "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط."
    assert without_end_matter(STORY + [arabic]) == STORY
    spanish = ("- El contenido de los comentarios es la opinión de los usuarios o internautas "
               "no de este periódico.")
    assert without_end_matter(ENGLISH + ["Comentar", spanish]) == ENGLISH


def test_a_chinese_sites_licence_footer_goes():
    story = ["新华社北京1月5日电 外国专家表示，中美两国在经贸、气候变化和公共卫生等领域的合作符合国际社会的共同利益。",
             "专家指出，两国加强沟通与协调，有助于维护世界经济的稳定与增长，也为其他国家提供了更多发展机遇。",
             "他们认为，对话与合作是解决分歧的唯一正确途径，双方应当相向而行，推动两国关系健康稳定发展。"]
    footer = ["- 违法和不良信息举报", "- 互联网新闻信息服务许可证10120170006",
              "- 京公网安备11010502032503号", "- 京网文[2011]0283-097号", "- 京ICP备13028878号-6"]
    assert without_end_matter(story + footer) == story


@pytest.mark.parametrize("notice", [
    "中国日报网版权说明：凡注明来源为“中国日报网”的作品，未经允许禁止转载、使用。",
    "Copyright ⓒ Entermedia.co.kr. 무단전재 및 재배포 금지",
    "© Le Monde. Tous droits réservés.",
    "Todos los derechos reservados.",
    "แสดงความคิดเห็น",
])
def test_copyright_notices_and_comment_headers_in_other_languages_close_the_story(notice):
    assert without_end_matter(ENGLISH + [notice]) == ENGLISH


def test_the_comment_boxs_rules_go_but_a_story_about_a_comments_policy_stays():
    rules = ["ترحب شبكة CNN بالنقاش الحيوي والمفيد، وكي لا نضطر إلى مراجعة التعليقات قبل نشرها. "
             "ننصحك بمراجعة إرشادات الاستخدام للتعرف إليها جيداً.",
             "Thank you for being part of our community. Read our Comment Policy before posting."]
    for line in rules:
        assert without_end_matter(STORY + [line]) == STORY
    # The story's own last paragraph on the subject is longer than a box's few lines.
    story = [*ENGLISH, "The platform said on Tuesday that its new comment policy, which lets "
             "moderators hide replies from accounts younger than a week, had cut reports of "
             "abuse by a third in the first month, though some users complained that the rules "
             "were applied unevenly and that appeals took weeks to be heard by a person, and "
             "the company promised to publish figures every quarter from now on."]
    assert without_end_matter(story) == story


def test_readers_comments_under_their_header_and_time_stamps_go():
    # ultimahora.es: the comments, in the article's container, under a lone "Comentar".
    comments = ["Comentar", "Hace 28 minutos",
                "Vaya comportamiento tan poco ejemplar del fiscal, defiende lo indefendible.",
                "Hace 37 minutos", "Lo importante no es si imputa o no, es lo que pagamos todos.",
                "Hace una hora", "Muy independiente no se muestra el fiscal en este caso."]
    assert without_end_matter(ENGLISH + comments) == ENGLISH
    english = ["3 Comments", "2 hours ago", "Great piece, thank you for writing it.",
               "Jan 5, 2024 10:12 am", "I disagree with the second point, for what it is worth."]
    assert without_end_matter(ENGLISH + english) == ENGLISH
    # The same word as a label inside the story, with no comment's stamp under it.
    prompt = ["Response:", "Phase 1: Core Engine (You Build, AI Teaches)",
              "Each chunk builds on the previous one, so skip none of them.",
              "Assume I'm an intelligent adult who wants to understand the code."]
    assert without_end_matter(ENGLISH + prompt) == ENGLISH + prompt


def test_a_paywall_notice_ends_the_story_with_what_follows_it():
    # Nikkei: the free lead, the notice, then other stories' headlines.
    lead = ["６月12日の歴史的な米朝首脳会談を巡って戦っていたのは、米大統領のトランプと北朝鮮委員長の金正恩"
            "ばかりではなかった。中国国家主席、習近平も重要な陰の参戦者だった。",
            "核放棄を巡って「検証可能な」の文字がなく、米韓軍事演習の中止にまで踏み込んだ米朝会談は、"
            "トランプによる金正恩への一方的譲歩であった。", "その判断は…"]
    notice = "この記事は会員限定です。電子版に登録すると続きをお読みいただけます。"
    others = ["- [FT]米朝首脳会談、クシュナー氏が橋渡し （2018/6/18 14:10）",
              "- 金正恩氏が習近平氏に書簡 朝鮮中央通信 （2018/6/16 10:20）"]
    assert without_end_matter(lead + [notice] + others) == lead
    for notice in ("The rest of this article is for subscribers only.",
                   "Subscribe to continue reading.", "To continue reading, please log in.",
                   "Cet article est réservé aux abonnés.", "Contenido exclusivo para abonados",
                   "Dieser Artikel ist nur für Abonnenten.", "هذا المحتوى متاح فقط للمشتركين"):
        assert without_end_matter(ENGLISH + [notice] + others) == ENGLISH, notice
    # A story about paywalls says so in a paragraph of its own words, and goes on.
    story = [*ENGLISH, "The publisher said the full article is available to subscribers for "
             "a day before it opens to everyone, a rule it adopted last spring after its "
             "advertising revenue fell for the third year running and its board asked for a "
             "plan that would not cut the newsroom again; the change, it said, had brought in "
             "more new readers in six months than the previous two years together.",
             *ENGLISH]
    assert without_end_matter(story) == story


def test_a_box_of_japanese_headlines_under_its_header_goes():
    """A headline of an unspaced script counts a word a character: 30 of them are still
    a headline."""
    box = ["関連記事", "米朝首脳会談の舞台裏、クシュナー氏が橋渡し役を担った理由とは",
           "金正恩氏が習近平氏に書簡を送る 朝鮮中央通信が伝えた内容"]
    assert without_end_matter(ENGLISH + box) == ENGLISH


def test_the_box_asking_readers_to_report_a_typo_ends_the_story_with_the_boxes_under_it():
    # LSM (Latvian): the typo box, then a newsletter's form and a cookie notice, none of
    # them in a language the other rules know.
    site = ["Kļūda rakstā?",
            "Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu labojamo teksta fragmentu "
            "redaktoram!", "Iesaki šo rakstu:", "Piesakies LSM pasta saņemšanai!",
            "Šo vēstkopu mēs izsūtīsim aptuveni reizi nedēļā ar iespēju jebkurā brīdī no tās "
            "atteikties", "Apstiprināt",
            "Informējam, ka LSM portālā tiek izmantotas sīkdatnes (angļu val. \"cookies\"). "
            "Turpinot lietot šo portālu, Jūs piekrītat, ka mēs uzkrāsim un izmantosim "
            "sīkdatnes Jūsu ierīcē. Uzzināt vairāk"]
    assert without_end_matter(ENGLISH + site) == ENGLISH
    russian = ["Нашли опечатку? Выделите текст и нажмите Ctrl + Enter", *site[2:]]
    assert without_end_matter(ENGLISH + russian) == ENGLISH
