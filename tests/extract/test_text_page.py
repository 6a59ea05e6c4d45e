"""Rendered-text pages in languages other than Arabic (and Arabic sites' comment boxes):
the chrome every site carries, whatever its language (boxes of other headlines, readers'
comments, credits), goes; the body stays."""

from datetime import UTC, datetime

import pytest

from extract import RawPage, extract_page

NOW = datetime(2024, 6, 20, tzinfo=UTC)


def text_of(lines: list[str]) -> str | None:
    page = RawPage(url="https://e.example/story.txt", source="test", fetched_at=NOW,
                   body="\n".join(lines).encode(), content_type="text/plain")
    article = extract_page(page).article
    return article.text if article is not None else None


FRENCH = [
    "Le gouvernement a présenté mercredi un plan de soutien aux agriculteurs, qui doit "
    "entrer en vigueur dans les prochaines semaines dans toutes les régions du pays.",
    "Selon le ministre de l'Agriculture, ce plan prévoit des prêts à taux réduit pour les "
    "petites exploitations et une aide à l'achat des semences et des engrais.",
    "Les syndicats agricoles ont salué une première étape, tout en estimant que les "
    "montants annoncés restent très loin de ce que demandent les producteurs depuis l'hiver.",
]
PORTUGUESE = [
    "O governo apresentou nesta quarta-feira um plano de apoio aos agricultores, que deve "
    "entrar em vigor nas próximas semanas em todas as regiões do país.",
    "Segundo o ministro da Agricultura, o plano prevê empréstimos com juros reduzidos para "
    "os pequenos produtores e uma ajuda para a compra de sementes e de adubos.",
    "Os sindicatos agrícolas disseram que é um primeiro passo, mas que os valores anunciados "
    "ainda estão muito longe do que os produtores pedem desde o inverno passado.",
]
RUSSIAN = [
    "Правительство в среду представило план поддержки фермеров, который должен вступить в "
    "силу в ближайшие недели во всех регионах страны, сообщили в министерстве.",
    "По словам министра сельского хозяйства, план предусматривает льготные кредиты для "
    "небольших хозяйств и помощь в покупке семян и удобрений для весеннего сева.",
    "В профсоюзах назвали это первым шагом, но отметили, что объявленные суммы пока очень "
    "далеки от того, что производители просят у правительства еще с прошлой зимы.",
]


@pytest.mark.parametrize("body, header, headlines", [
    (FRENCH, "Lire aussi :", ["Le prix du blé au plus bas depuis trois ans",
                              "Sécheresse : les éleveurs inquiets pour l'été"]),
    (PORTUGUESE, "Você pode gostar...", ["Preço do trigo cai ao menor nível em três anos",
                                         "Seca preocupa criadores de gado no Nordeste"]),
    (RUSSIAN, "Читайте также", ["Цены на пшеницу упали до минимума за три года",
                                "Засуха грозит урожаю на юге страны"]),
], ids=["fr", "pt", "ru"])
def test_a_box_of_other_headlines_goes_in_any_language(body, header, headlines):
    text = text_of(["Accueil | Início | Главная", body[0], body[1], header, *headlines, body[2]])
    assert text is not None
    assert text.split("\n\n") == body


def test_readers_comments_under_the_story_are_not_its_body():
    body = [
        "The city council voted on Tuesday to extend the night bus network to the northern "
        "districts, after a year in which ridership on the existing lines doubled.",
        "The new lines will run every twenty minutes between midnight and five in the "
        "morning, and the council said the cost would be covered by the transport budget.",
    ]
    comments = [
        "12 Comments",
        "Mark on June 19, 2024 at 4:47 pm said:",
        "This is great news for everyone who works late shifts in the hospitals and the "
        "restaurants of the centre, and it should have happened years ago, in my opinion.",
        "Jane on June 19, 2024 at 6:02 pm said:",
        "I wonder whether the council has thought about the safety of the drivers on these "
        "routes, since there have been several incidents on the existing night lines.",
    ]
    assert text_of(["Home | News | Sport", *body, *comments]).split("\n\n") == body


BUS_STORY = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "districts, after a year in which ridership on the existing lines doubled.",
    "The new lines will run every twenty minutes between midnight and five in the "
    "morning, and the council said the cost would be covered by the transport budget.",
    "Drivers' unions welcomed the plan but asked for more staff on the late shifts, "
    "which they say are already hard to fill across the whole of the current network.",
]
LATE_SHIFT_COMMENT = (
    "This is great news for everyone who works late shifts in the hospitals and the "
    "restaurants of the centre, and it should have happened years ago, in my opinion.")


@pytest.mark.parametrize("header, date", [
    ("Hans says:", "October 17, 2008 at 11:22 am"),   # WordPress's comment template
    ("Nina | Lemons and Luggage says:", "at"),         # its date left out of the copy
    ("Pedro dice:", "19 junio, 2024 a las 16:47"),
    ("by Brain-Fu ( 1274756 ) writes:", None),         # Slashdot: the user's number
], ids=["wordpress", "date-left-out", "spanish", "slashdot"])
def test_a_thread_of_comments_without_a_comments_header_is_not_the_body(header, date):
    comment = [header, *([date] if date else []), LATE_SHIFT_COMMENT]
    assert text_of([*BUS_STORY, *comment, *comment]).split("\n\n") == BUS_STORY


ARABIC_STORY = [
    "وقع الرئيس الروسي فلاديمير بوتين والزعيم الكوري الشمالي كيم جونغ أون يوم الأربعاء في "
    "بيونغ يانغ اتفاقية للشراكة الاستراتيجية الشاملة بين البلدين.",
    "وقال بوتين في مؤتمر صحفي بعد المحادثات إن الاتفاقية تفتح صفحة جديدة في العلاقات بين "
    "البلدين، وإنها ذات طابع دفاعي ولا تستهدف أي دولة أخرى في المنطقة.",
    "من جهته، وصف كيم الاتفاقية بأنها الأقوى في تاريخ العلاقات بين البلدين، مؤكدا أن بلاده "
    "تدعم بالكامل العملية العسكرية الروسية في أوكرانيا.",
]
ARABIC_COMMENT = ("أتمنى أن تنعكس هذه الاتفاقية على حياة الناس في البلدين وليس على سباق التسلح "
                  "فقط، فالشعوب تحتاج إلى الغذاء والدواء قبل الصواريخ.")


@pytest.mark.parametrize("header", ["أضف تعليقك", "اترك تعليقاً", "3 تعليقات", "التعليقات"])
def test_an_arabic_sites_comment_box_under_the_story_goes(header):
    page = [*ARABIC_STORY, header, "محمد", ARABIC_COMMENT]
    assert text_of(page).split("\n\n") == ARABIC_STORY


def test_tags_under_a_story_of_one_long_paragraph_end_it_and_the_article_after_them():
    # One paragraph long enough to be GOOD, the others short, as terse news is written;
    # a second article follows the story's disclaimer and tags.
    story = [
        ARABIC_STORY[1] + " وأكد أن التعاون سيشمل الطاقة والزراعة.",
        "وأضاف أن البلدين سيعملان معا في مجالات الطاقة والزراعة والتعليم خلال السنوات "
        "المقبلة.",
        "وأكد أن الاتفاقية لا تستهدف أي دولة ثالثة في المنطقة أو خارجها، وأنها مفتوحة.",
    ]
    second = [
        "من خلال ترشيح وزير جديد للخارجية، يبدو أن الرئيس الأمريكي المنتخب عازم على تحسين "
        "العلاقات مع بيونغ يانغ في ولايته الثانية، كما يقول باحثان في مجلة متخصصة.",
        "ويرى الباحثان أن دبلوماسية القنوات الخلفية التي جربها في ولايته الأولى قد تعود، "
        "وأن الهدف هذه المرة سيكون تخفيف التوتر لا نزع السلاح الكامل في شبه الجزيرة.",
    ]
    page = [*story, "المقالة تعبر فقط عن رأي الصحيفة أو الكاتب",
            "كلمات دلالية: بوتين كيم جونغ أون موسكو", *second]
    assert text_of(page).split("\n\n") == story


SECOND_ARTICLE = [
    "من خلال ترشيح وزير جديد للخارجية، يبدو أن الرئيس الأمريكي المنتخب عازم على تحسين "
    "العلاقات مع بيونغ يانغ في ولايته الثانية، كما يقول باحثان في مجلة متخصصة.",
    "ويرى الباحثان أن دبلوماسية القنوات الخلفية التي جربها في ولايته الأولى قد تعود، "
    "وأن الهدف هذه المرة سيكون تخفيف التوتر لا نزع السلاح الكامل في شبه الجزيرة.",
]


@pytest.mark.parametrize("disclaimer", ["المقالة تعبر فقط عن رأي الصحيفة أو الكاتب",
                                        "المقال يعبر عن رأي كاتبه"])
def test_a_disclaimer_ends_a_story_of_a_single_paragraph(disclaimer):
    # The disclaimer only ever stands under the story: the one paragraph above it is
    # the whole story, and the article after the tags is another.
    story = [ARABIC_STORY[1] + " وأكد أن التعاون سيشمل الطاقة والزراعة."]
    page = [*story, disclaimer, "كلمات دلالية: بوتين كيم جونغ أون موسكو", *SECOND_ARTICLE]
    assert text_of(page).split("\n\n") == story


def test_tags_under_a_standfirst_do_not_end_the_story_below_them():
    # Tags, a date and a byline under a standfirst, above the story (as on mises.org).
    standfirst = ("This week, the column explores how the city's new bus lanes have changed "
                  "the way that commuters plan their mornings, and what the council means to "
                  "do about them next.")
    page = [standfirst, "Tags:", "Transport", "12/19/2025", "David Gordon", *BUS_STORY]
    assert all(paragraph in text_of(page) for paragraph in BUS_STORY)


def test_readers_names_each_above_a_date_and_time_are_a_thread():
    thread = ["Carl", "December 19, 2025, 10:49 am", LATE_SHIFT_COMMENT,
              "Fatman", "December 19, 2025, 10:54 am", LATE_SHIFT_COMMENT]
    assert text_of([*BUS_STORY, *thread]).split("\n\n") == BUS_STORY


def test_speakers_above_timestamps_and_one_signed_entry_stay_in_the_story():
    # A transcript's times carry no year; a single name over a date is a signed update.
    transcript = [BUS_STORY[0], "Anna Berg", "00:01:23", BUS_STORY[1], "Tom Field",
                  "00:02:40", BUS_STORY[2]]
    assert all(paragraph in text_of(transcript) for paragraph in BUS_STORY)
    signed = [*BUS_STORY, "Editor", "June 20, 2024, 9:15 am",
              "The council has since confirmed that the first lines will open in September."]
    assert text_of(signed).split("\n\n")[: len(BUS_STORY)] == BUS_STORY
    assert signed[-1] in text_of(signed)


def test_a_writer_quoted_in_the_story_is_not_a_comment():
    # "says:" / "writes:" opening a quote, with no comment date under it and no
    # Slashdot user number, is the story's own line
    body = [BUS_STORY[0], BUS_STORY[1], "As the transport committee's chair says:",
            "“We have waited for this for a decade, and the night workers have waited longer.”",
            "As Joel writes:", BUS_STORY[2]]
    assert text_of(body).split("\n\n") == body


def test_the_story_not_the_menu_above_it_tells_the_pages_language():
    # a copied page has no blank lines: read from its top, the language was the menu's
    menu = ["Accueil", "Actualités", "Voitures d'occasion", "Essais et comparatifs",
            "Nous contacter", "À propos de nous", "Les plus lus de la semaine",
            "Guide complet pour choisir et profiter d'un casino en ligne en toute sécurité",
            "Découvrez les meilleures offres de la semaine chez nos partenaires",
            "Comment entretenir sa voiture sans se ruiner chez le garagiste",
            "Les voitures électriques les plus vendues en France cette année",
            "Assurance auto : comment payer moins cher pour la même couverture",
            "Permis de conduire : ce qui change pour les jeunes conducteurs",
            "Les radars automatiques les plus rentables de France en un an"]
    page = RawPage(url="https://e.example/story.txt", source="test", fetched_at=NOW,
                   body="\n".join([*menu, *BUS_STORY]).encode(), content_type="text/plain")
    article = extract_page(page).article
    assert article is not None
    assert article.language == "en"
    assert article.text.split("\n\n") == BUS_STORY


def test_a_photo_credit_above_the_story_does_not_end_it_but_a_copyright_notice_does():
    # A cookie notice is written as prose, and a credit under the lead picture carries
    # the copyright sign or names a source: together they looked like a story that had
    # ended. One line of prose is not yet a story.
    body = [
        "The prince said in a television interview at the weekend that he had no memory "
        "of the events described by the witnesses, and that he had never met them.",
        "Lawyers for the witnesses said the interview would be studied closely, and that "
        "they would ask the courts to hear the prince's account under oath this year.",
    ]
    text = text_of([
        "Our website uses cookies to improve its performance and to enhance your user "
        "experience, and by continuing to browse it you agree to our use of them as it is "
        "described in our privacy policy.",
        "Accept & Close",
        "© REUTERS / POOL",
        "Source: Reuters",
        *body,
        "© 2019 Example News. All rights reserved.",
        "Most read stories of the week, and the other things our readers are looking at "
        "today on the site, from politics to sport and the weather in your region.",
    ])
    assert text is not None
    assert body[0] in text and body[1] in text
    assert "Most read stories" not in text and "REUTERS" not in text


def test_a_paragraph_in_japanese_is_long_though_it_has_few_characters():
    # Each kanji or kana stands for several letters: a 60-character Japanese paragraph
    # is a full sentence or two, not a menu item.
    body = [
        "先日、不正に改造したスマートフォンを販売したとして、商標法違反の疑いで二十代の男性が逮捕されたというニュースを耳にしました。",
        "報道によると、今回販売されたのは、いわゆる脱獄と呼ばれる改造をした端末で、非公式のアプリを使えるようにしたものです。",
        "ではなぜ、正規に購入した端末でも、改造して販売すると商標権の侵害になるのでしょうか。今回はその理由を説明します。",
    ]
    text = text_of(["ホーム", "ニュース", "スポーツ", *body, "関連記事", "新型スマホの発売日が決定"])
    assert text is not None
    assert text.split("\n\n") == body


def test_a_source_under_a_chart_is_inside_the_story_and_one_under_the_story_ends_it():
    opening = [
        "Health insurance premiums rose faster than wages for the third year running, "
        "according to figures published on Tuesday by the national association of insurers.",
        "The average family plan now costs more than a fifth of the median household's "
        "income before taxes, up from an eighth of it a decade ago, the report found.",
    ]
    rest = [
        "Insurers said the rise was driven by the price of hospital care and of new drugs, "
        "while the regulators blamed the lack of competition in most of the states.",
        "The report also found that one household in ten had gone without a treatment in "
        "the past year because of its cost, twice as many as in the survey of 2015.",
        "Consumer groups called on the states to cap the yearly rise of premiums, as three "
        "of them have done since the last election, with mixed results so far.",
    ]
    chart = ["Premiums and wages since 2015, in percent", "Source: Bureau of Labor Statistics"]
    paragraphs = text_of([*opening, *chart, *rest]).split("\n\n")
    assert all(p in paragraphs for p in [*opening, *rest])  # the chart's lines may stay

    other_story = (
        "In other news, the city's football club won its third match of the season on "
        "Sunday in front of a record crowd of forty thousand people at the stadium.")
    wire = [*opening, *rest]
    assert text_of([*wire, "Source: Reuters", other_story]).split("\n\n") == wire


def test_a_column_of_other_headlines_without_a_header_goes_but_a_short_list_stays():
    # Between two paragraphs, a few short lines are the story's own (a list, a quote);
    # a long run of them is a column of other stories with their bylines and dates.
    paragraphs = [
        "The son of a former president was stabbed to death during a lecture he was giving "
        "at a Berlin clinic on Tuesday evening, the police said in a statement on Wednesday.",
        "The suspect, a man of 57, was arrested at the scene; investigators said they were "
        "still trying to understand his motive, and that he had no known link to the victim.",
        "The clinic said that its staff were shocked, and that the lecture series would be "
        "suspended until further notice while the police carried out their investigation.",
    ]
    listed = ["He was a doctor of internal medicine.", "He was 59.", "He had four children."]
    column = [line for n in range(4) for line in (
        f"Other story number {n} of the day in the region", "By STAFF", f"11/20/2019 0{n}:14 PM")]
    text = text_of([paragraphs[0], *listed, paragraphs[1], *column, paragraphs[2]])
    assert text is not None
    assert text.split("\n\n") == [paragraphs[0], *listed, paragraphs[1], paragraphs[2]]


def test_a_sentence_about_copyright_is_not_a_copyright_notice():
    paragraphs = [
        "Authors and publishers have filed more than forty lawsuits against the companies "
        "that train language models on their books, and the first rulings are due this year.",
        "The companies argue that training is a transformative use of the works, and that "
        "the models do not store or reproduce the books that they were trained on.",
        "The U.S. Copyright Office said in its May 2025 report that some uses of such works "
        "for training may not be fair use.",
        "Both sides expect the cases to reach the Supreme Court, which has not ruled on a "
        "question of this kind since the arrival of the photocopier and the video recorder.",
    ]
    assert text_of(["Home | Tech | Law", *paragraphs]).split("\n\n") == paragraphs


@pytest.mark.parametrize("credit", [
    "Photo: Meg Kinnard, AP", "Image credit: Eurogamer", "(AP Photo/Evan Vucci)",
    "Photograph: Tim Robberts/Getty Images", "Фото: Михаил Терещенко / ТАСС",
    "الصورة: رويترز",
], ids=["photo", "image-credit", "ap", "photograph", "ru", "ar"])
def test_a_credit_under_a_picture_inside_the_story_goes(credit):
    # Between two paragraphs a short line stays (a subheading, a list); a credit is one.
    paragraphs = [
        "The council voted on Tuesday night to close the old bridge to traffic until spring, "
        "after engineers found cracks in two of its supports during an inspection last month.",
        "Drivers will have to use the ring road instead, which adds about fifteen minutes to "
        "a trip into the town centre at peak hours, according to the council's own figures.",
    ]
    text = text_of(["Home | News | Local", paragraphs[0], credit, paragraphs[1]])
    assert text is not None
    assert text.split("\n\n") == paragraphs


def test_neighbours_are_the_nearest_lines_not_skipped_on_either_side():
    import random

    from extract.text_page import LineClass, _neighbours

    def walk(classes, i, step, skip):  # the definition, one line at a time
        j = i + step
        while 0 <= j < len(classes):
            if classes[j] not in skip:
                return classes[j]
            j += step
        return LineClass.BAD

    rng = random.Random(5)
    kinds = list(LineClass)
    for _ in range(200):
        classes = [rng.choice(kinds) for _ in range(rng.randint(0, 30))]
        skip = set(rng.sample(kinds, rng.randint(0, 3)))
        before, after = _neighbours(classes, skip)
        assert before == [walk(classes, i, -1, skip) for i in range(len(classes))]
        assert after == [walk(classes, i, 1, skip) for i in range(len(classes))]


def test_a_page_of_thousands_of_short_lines_keeps_its_story():
    story = FRENCH
    text = text_of([*story, *["Abonnez-vous à notre lettre"] * 5000])
    assert text is not None and text.split("\n\n") == story


def test_a_story_of_short_paragraphs_in_a_language_without_a_stoplist_is_kept():
    # Chinese has no jusText stoplist, and no line here is long enough to be GOOD: the
    # near-good lines are the story, as they are in a language with one.
    story = ["新华社北京1月5日电 外国专家表示，中美两国在经贸和公共卫生等领域的合作符合国际社会的共同利益。",
             "专家指出，两国加强沟通与协调，有助于维护世界经济的稳定与增长，也为其他国家提供了机遇。",
             "他们认为，对话与合作是解决分歧的唯一正确途径，双方应当相向而行，推动两国关系稳定发展。"]
    assert text_of(["首页", "新闻", "国际", *story]).split("\n\n") == story


def test_a_paywall_notice_ends_a_text_pages_story_and_the_article_after_it():
    notice = "هذا المحتوى متاح فقط للمشتركين في النسخة الرقمية من الصحيفة."
    page = [*ARABIC_STORY, notice, *SECOND_ARTICLE]
    assert text_of(page).split("\n\n") == ARABIC_STORY


SITE_GUIDE = ("The city's food scene is a big-league one, and we have got the news and reviews "
              "you need to navigate all of the area's dining-out options, plus a growing "
              "collection of essential guides.")


@pytest.mark.parametrize("end", ["View/Post Comments", "Show all 12 comments",
                                 "Registration on or use of this site constitutes acceptance "
                                 "of our User Agreement and Privacy Policy"])
def test_a_link_to_the_comments_or_the_sites_terms_end_the_story(end):
    # cleveland.com: the site's guides, in prose, follow the link to the comments
    page = [*BUS_STORY, end, "Related Stories", "Dining Out", SITE_GUIDE, SITE_GUIDE]
    assert text_of(page).split("\n\n") == BUS_STORY


def test_a_related_box_of_headlines_rich_in_function_words_goes_whole():
    # WIRED: headlines as rich in function words as prose, but with no full stop
    box = ["You Might Also Like …",
           "Taylor Swift, Star Wars, Stranger Things, and Deadpool have one man in common",
           "Generative AI is playing a surprising role in all of the disinformation of the war",
           "The new era of social media looks as bad for your privacy as the last one was",
           "Your internet browser does not belong to you, and it never really has done"]
    assert text_of([*BUS_STORY, *box]).split("\n\n") == BUS_STORY


def test_a_sign_up_forms_fields_and_replies_go_wherever_they_stand():
    # Webflow's default replies and a form's fields, between two parts of the story
    form = ["Email Address", "Email(Required)", "CAPTCHA",
            "Thank you! Your submission has been received!",
            "Oops! Something went wrong while submitting the form."]
    page = [*BUS_STORY[:2], *form, BUS_STORY[2]]
    assert text_of(page).split("\n\n") == BUS_STORY


def test_a_chinese_storys_editor_credit_ends_it_and_the_headlines_after_it():
    story = ["在美国旧金山举行的中美元首会晤吸引了全世界的目光。多名外国专家告诉记者，中美合作共赢符合国际社会利益，美方应当采取更多行动。",
             "美中合作基金会执行主席认为，共同繁荣还是互相毁灭，这是两国面临的抉择。众所周知，二十一世纪的金融往来和军事技术发展让超级大国也无法在冲突中成为赢家。",
             "亚太共策会会长表示，国际社会高度关注中美如何改善双边关系，并解决全球关注的问题。美方需要作出更令人放心的承诺，并采取更多令人安心的行动。"]
    others = ["世界经济论坛官员：与华脱钩是错误认知 应对全球问题需要中美合作",
              "直升机完成首次高原试飞工作", "第六届空间技术和平利用国际研讨会即将在京召开"]
    page = [*story, "（编辑：严玉洁 王辉）", *others]
    assert text_of(page).split("\n\n") == story


POST = ("Putin lands in Pyongyang for his first visit in 24 years pic.twitter.com/Ab3dE9xYz "
        "— Agency News (@agencynews) June 19, 2024")


def test_an_embedded_post_on_its_own_line_goes():
    from tests.conftest import seed_path

    story = text_of([seed_path("001").read_text(encoding="utf-8")]).split("\n\n")
    with_post = text_of(["زيارة بوتين إلى كوريا الشمالية", "", *story[:2], POST, *story[2:]])
    assert with_post.split("\n\n") == story


def test_a_story_whose_paragraphs_lost_their_breaks_is_kept_with_a_post_inside_it():
    """A text whose paragraphs were joined into one line is one long line: an embedded
    post's link in it is one sentence among many, not the line's whole content."""
    from tests.conftest import seed_path

    story = text_of([seed_path("001").read_text(encoding="utf-8")]).split("\n\n")
    one_line = " ".join([*story[:2], POST, *story[2:]])
    kept = text_of(["زيارة بوتين إلى كوريا الشمالية", "", one_line])
    assert kept is not None
    assert set(" ".join(story).split()) <= set(kept.split())


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\x85", "\x0c"])
def test_every_kind_of_line_break_gives_the_same_article(newline):
    """A file saved by an old Mac (CR only), or exported with Unicode's line separator,
    breaks its lines so: they ran into one line, headline and chrome kept as story."""
    from tests.conftest import seed_path

    text = seed_path("001").read_text(encoding="utf-8")

    def article(body: str):
        return extract_page(RawPage("https://e.example/001.txt", "test", NOW, body.encode(),
                                    "text/plain")).article
    expected, got = article(text), article(text.replace("\n", newline))
    assert (got.title, got.text) == (expected.title, expected.text)
