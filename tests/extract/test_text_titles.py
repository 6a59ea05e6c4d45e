"""A rendered-text page's headline and byline are metadata, not lines of its body, however
the page hands them over: above chrome, or as the page's very first lines."""

from datetime import UTC, datetime

from extract import RawPage, extract_page
from extract.records import Article
from extract.text_header import headline_like

NOW = datetime(2024, 6, 20, tzinfo=UTC)


def article_of(lines: list[str]) -> Article:
    page = RawPage(url="https://e.example/story.txt", source="test", fetched_at=NOW,
                   body="\n\n".join(lines).encode(), content_type="text/plain")
    article = extract_page(page).article
    assert article is not None
    return article


HEADLINE = "قمة بوتين وكيم في بيونغ يانغ تنتهي بتوقيع اتفاقية للشراكة الاستراتيجية الشاملة"
STORY = [
    "وقع الرئيس الروسي فلاديمير بوتين والزعيم الكوري الشمالي كيم جونغ أون يوم الأربعاء في "
    "بيونغ يانغ اتفاقية للشراكة الاستراتيجية الشاملة بين البلدين، تنص على المساعدة "
    "المتبادلة في حال تعرض أحدهما لعدوان.",
    "وقال بوتين في مؤتمر صحفي بعد المحادثات إن الاتفاقية تفتح صفحة جديدة في العلاقات بين "
    "البلدين، وإنها ذات طابع دفاعي ولا تستهدف أي دولة أخرى في المنطقة.",
    "من جهته، وصف كيم الاتفاقية بأنها الأقوى في تاريخ العلاقات بين البلدين، مؤكدا أن بلاده "
    "تدعم بالكامل العملية العسكرية الروسية في أوكرانيا.",
]


def test_a_page_that_opens_with_its_headline_gives_it_as_the_title():
    # A feed item or a copied story: no site header, the headline is the first line and
    # long enough to pass for a short paragraph of the story.
    article = article_of([HEADLINE, *STORY])
    assert article.title == HEADLINE
    assert article.text.split("\n\n") == STORY


def test_a_story_that_opens_with_a_short_sentence_keeps_it():
    lead = "The council voted on Tuesday night to close the old bridge to traffic until spring."
    rest = [
        "The decision came after engineers found cracks in two of the bridge's supports "
        "during an inspection last month, and the council said it could not take the risk "
        "of waiting for the full report.",
        "Drivers will have to use the ring road instead, which adds about fifteen minutes to "
        "a trip into the town centre at peak hours, according to the council's own figures.",
    ]
    article = article_of([lead, *rest])
    assert article.title is None
    assert article.text.split("\n\n") == [lead, *rest]


def test_the_title_is_the_headline_not_a_longer_sentence_above_the_story():
    # An embedded post in another language can leave the story's first lines above the
    # body; the longest of those lines is a sentence, and the headline is the title.
    lead = ("أعلن الكرملين صباح الأربعاء أن الزيارة ستستمر يومين، وأن الزعيمين سيوقعان عددا من "
            "الاتفاقيات.")
    tweet = ("Putin and Kim signed a comprehensive strategic partnership treaty in Pyongyang "
             "on Wednesday https://t.co/abc pic.twitter.com/xyz — Agency (@agency) June 19, 2024")
    article = article_of(["الرئيسية | أخبار | رياضة", HEADLINE, lead, tweet, *STORY])
    assert article.title == HEADLINE


def test_a_byline_line_gives_the_author_and_leaves_the_body():
    arabic = article_of([HEADLINE, "كتب - محمد الصاوي:", *STORY])
    assert arabic.author == "محمد الصاوي"
    assert arabic.text.split("\n\n") == STORY
    english = article_of(["Home | News | Local", "Council closes the old bridge until spring",
                          "By Jane Doe", *ENGLISH_STORY])
    assert english.author == "Jane Doe"
    assert english.text.split("\n\n") == ENGLISH_STORY


def test_a_sentence_that_opens_with_wrote_and_a_menu_far_above_are_not_bylines():
    # "كتب" is also the verb "wrote": a president writing on his account is the story.
    wrote = "كتب الرئيس على حسابه في تويتر:"
    article = article_of([HEADLINE, wrote, *STORY])
    assert article.author is None
    assert wrote in article.text
    menu = ["Solutions", "By Use Case", "By Industry", "Pricing", "Blog", "Resources",
            "Contact", "Council closes the old bridge until spring"]
    assert article_of([*menu, *ENGLISH_STORY]).author is None


ENGLISH_STORY = [
    "The council voted on Tuesday night to close the old bridge to traffic until spring, "
    "after engineers found cracks in two of its supports during an inspection last month.",
    "Drivers will have to use the ring road instead, which adds about fifteen minutes to "
    "a trip into the town centre at peak hours, according to the council's own figures.",
    "Shop owners on both sides of the river said they feared losing customers over the "
    "winter, when the market usually brings people across the bridge every weekend.",
    "The council said repairs would begin in January and that it would publish the "
    "engineers' full report on its website once the insurers had seen it.",
]


BRIDGE = "Council closes the old bridge until spring"
# A site's menu, with one-line blurbs under its items, as a browser copies it: the blurbs
# are sentences long enough to pass for a paragraph, and a teaser for another story reads
# like a headline longer than the story's own.
MENU = [
    "Home", "News", "Sport", "Business",
    "Winter concert series returns to the riverside park this December",
    "Programs",
    "Learn more about our degree and certificate programs in health and pre-sciences for "
    "adults who work full time.",
    "Degrees", "Certificates", "Online learning", "Events",
    "Find the events of the week in the town and the county, from concerts in the park to "
    "the farmers' market on Saturday.",
    "Concerts", "Markets",
]


def test_the_headline_is_the_line_above_the_story_and_its_byline_not_the_longest():
    article = article_of([*MENU, f"Home » Local » {BRIDGE}", BRIDGE, "By Jane Doe",
                          "June 19, 2024", "5 min read", *ENGLISH_STORY])
    assert article.title == BRIDGE
    assert article.author == "Jane Doe"
    # The menu's blurbs above the headline are not the story's first paragraphs.
    assert article.text.split("\n\n") == ENGLISH_STORY


def test_a_page_that_opens_with_its_headline_gives_it_not_the_standfirst_under_it():
    # A headline shorter than the standfirst under it, and one cut short with dots.
    headline = "مصرع عنصر إجرامي في تبادل لإطلاق النار مع الشرطة"
    standfirst = "مطلوب للتنفيذ عليه في ستة أحكام قضائية بينها حكمان بالسجن المؤبد"
    article = article_of([headline, standfirst, *STORY])
    assert article.title == headline
    assert article.text.split("\n\n")[-len(STORY):] == STORY
    assert headline not in article.text
    cut_short = "رغم خسائر البورصة من كورونا وانخفاض النفط.. أسهم البنوك الكو..."
    assert article_of([cut_short, standfirst, *STORY]).title == cut_short


def test_a_wire_credit_above_the_story_is_not_its_headline():
    # A republished wire story without its headline: the dates and the credit are all
    # the page has above the text.
    article = article_of(["5 يوليو 2024", "6 سبتمبر 2023", "يمن فريدم-أسوشيتيد برس", "REUTERS",
                          *STORY])
    assert article.title is None
    english = article_of(["Home | News | World", "Yemen Freedom - Associated Press",
                          *ENGLISH_STORY])
    assert english.title is None


def test_a_byline_that_goes_on_after_the_name_or_puts_it_on_the_next_line():
    above = [*MENU, BRIDGE]
    for byline, name in (
            ("By Chris McNamara ⋅ Founder and Editor-in-Chief ⋅ Updated May 6, 2025",
             "Chris McNamara"),
            ("By Lizzie Streit, MS, RDN, LD", "Lizzie Streit"),
            ("Written by: Sean Peek, Senior Analyst", "Sean Peek"),
            ("Posted by Jane Doe on June 3, 2024", "Jane Doe")):
        article = article_of([*above, byline, *ENGLISH_STORY])
        assert article.author == name
        assert article.text.split("\n\n") == ENGLISH_STORY
    assert article_of([*above, "By", "Liam Austin", *ENGLISH_STORY]).author == "Liam Austin"
    # A desk, not a person.
    assert article_of([*above, "By our engineering team", *ENGLISH_STORY]).author is None


def test_a_story_that_opens_with_short_paragraphs_keeps_them():
    # One-sentence paragraphs, then a subheading, then long ones: the story began at the
    # first, not where its paragraphs grow long, and the subheading is not its headline.
    opening = [
        "Modern software is built on a fragile assumption: that the network is there.",
        "It isn't.",
        "Trains lose connectivity and factories operate behind their firewalls.",
        "Hospitals isolate their systems, and devices move, disconnect and fail.",
        "And yet we keep building applications that stop when the cloud is gone.",
        "This is not a limitation of the hardware we run them on.",
        "It is a limitation of the way we think about where software should run.",
    ]
    rest = [
        "For the last decade we have treated the cloud as the default place to run things: "
        "computation, storage, identity and the logic of the application all live there.",
        "That model breaks under real conditions, where latency is unpredictable, costs grow "
        "without bounds and a failure in one region becomes a failure everywhere at once.",
    ]
    article = article_of(["Home", "Blog", "About", "The Edge-First Manifesto", *opening,
                          "Software must survive reality", *rest])
    assert article.title == "The Edge-First Manifesto"
    assert article.text.split("\n\n")[: len(opening)] == opening


SHOES_STORY = [
    "We ran more than four hundred miles in forty pairs of running shoes this winter, on "
    "roads, tracks and muddy trails, to find the twelve best shoes for every kind of runner.",
    "Cushioned shoes came out ahead for long runs on roads, while the lightest racing shoes "
    "won on the track, and two trail shoes kept their grip where the others slipped.",
    "Prices ranged from sixty to two hundred and fifty dollars a pair, and the best value "
    "was a shoe that costs less than half as much as the most expensive one we ran in.",
]


def test_a_headline_with_a_year_and_a_count_is_no_date_and_a_dated_lead_stays():
    headline = "The 12 Best Running Shoes of 2026"
    teaser = "Winter concert series returns to the riverside park this December"
    article = article_of(["Home", teaser, "Reviews", "Running", "Gear", headline,
                          "By Jane Doe", "March 3, 2026", *SHOES_STORY])
    assert article.title == headline
    lead = ("On March 2, 2026, the council met again and voted to close the old bridge "
            "to traffic until spring.")
    article = article_of(["Home", "News", BRIDGE, lead, *ENGLISH_STORY])
    assert article.text.split("\n\n")[0] == lead


def test_a_headline_shares_words_with_its_story_a_sidebars_next_to_it_does_not():
    # Another story's headline stands between the byline and the story (a sidebar the
    # browser copied in between): nearer and longer, but about something else.
    sidebar = "Seven ways to plan a perfect garden party this summer"
    article = article_of(["Home", "News", BRIDGE, "By Jane Doe", "Most read", sidebar,
                          *ENGLISH_STORY])
    assert article.title == BRIDGE


def test_a_name_beside_the_date_is_the_byline_a_category_is_not():
    article = article_of([*MENU, BRIDGE, "Andrew King", "September 4, 2025", *ENGLISH_STORY])
    assert article.author == "Andrew King"
    assert article.text.split("\n\n") == ENGLISH_STORY
    above = article_of([*MENU, "Andrew King", "September 4, 2025", BRIDGE, *ENGLISH_STORY])
    assert above.author == "Andrew King"
    # The story's category: its words are the story's own, written in lower case there.
    category = article_of([*MENU, BRIDGE, "Council Figures", "September 4, 2025",
                           *ENGLISH_STORY])
    assert category.author is None
    share = article_of([*MENU, BRIDGE, "Share Article", "September 4, 2025", *ENGLISH_STORY])
    assert share.author is None


def test_a_byline_far_above_the_story_or_glued_to_its_date_is_found():
    # The byline's label and name, then an editor and a reviewer: more lines between
    # the name and the story than a header's last few.
    credits = ["By", "Genevieve Carlton, Ph.D.", "Updated on July 9, 2025", "Edited by",
               "Lauren Mastbaum", "•", "Reviewed by", "Colin Smith, CPA", "Our Integrity Network"]
    assert article_of([*MENU, BRIDGE, *credits, *ENGLISH_STORY]).author == "Genevieve Carlton"
    # Text copied from separate elements runs the label, the name and the date together.
    for byline, name in (("By Korin MillerPublished: Jan 29, 2025", "Korin Miller"),
                         ("ByNina Pineda", "Nina Pineda")):
        assert article_of([*MENU, BRIDGE, byline, *ENGLISH_STORY]).author == name
    # A lone label over what is not a name.
    unnamed = ["Written by", "Last updated on:", "October 1, 2025"]
    assert article_of([*MENU, BRIDGE, *unnamed, *ENGLISH_STORY]).author is None


CHINESE_STORY = [
    "新华社北京1月5日电 外国专家表示，中美两国在经贸、气候变化和公共卫生等领域的合作符合国际社会的共同利益。"
    "专家指出，两国加强沟通与协调，有助于维护世界经济的稳定与增长，也为其他国家提供了更多发展机遇。",
    "他们认为，对话与合作是解决分歧的唯一正确途径，双方应当相向而行，推动两国关系健康稳定发展。"
    "多位学者表示，各方应当珍惜来之不易的成果，在相互尊重的基础上继续扩大交流，共同应对全球性挑战。",
]


def test_a_chinese_or_japanese_headline_is_one_by_its_length_and_its_words_pairs():
    # 34 characters of Japanese are a headline, not a sentence (a character counts as a
    # word, and 30 words are a headline's most).
    assert headline_like("動画：ナイジェリアで少女らによる自爆攻撃、ロケット弾も撃ち込まれ31人死亡")
    # In scripts without spaces a headline shares pairs of characters with its story,
    # not whole runs between punctuation: a nearer, longer sidebar line shares none.
    headline = "外国专家：中美合作共赢符合国际社会利益"
    sidebar = "本周热门旅游目的地推荐与攻略汇总"
    menu = ["首页", "新闻", "国际", "财经", "体育", "科技"]
    assert article_of([*menu, headline, sidebar, *CHINESE_STORY]).title == headline


def test_a_headline_far_above_the_story_is_found_past_a_long_header():
    # Between a guide's headline and its first paragraph, the rendered page lists its
    # sharing buttons, its contents and the writer's card: the headline stands over
    # twenty lines above the story, and the writer's job title is nearer.
    headline = "Top 10 Live Streaming Platforms and How to Choose the Right One"
    between = ["Share", "Facebook", "X", "LinkedIn", "Email", "Print", "Copy link",
               "Contents", "Why stream live", "What to look for", "Pricing", "Audience tools",
               "Monetization", "Analytics", "Our picks", "FAQ", "Written by", "Dana Okafor",
               "Social Media & Community Expert", "Reviewed by", "Sam Lee", "Updated"]
    story = [
        "Live streaming platforms let a creator broadcast to an audience in real time, and "
        "the right platform depends on where that audience already spends its evenings.",
        "We compared ten streaming platforms on reach, monetization, moderation tools and "
        "the quality of their analytics, streaming on each one for a month.",
        "Twitch still leads for gaming, but YouTube Live reaches more viewers outside it, and "
        "smaller platforms pay creators a larger share of what their viewers spend.",
    ]
    article = article_of(["Blog", "Pricing", "Log in", headline, *between, *story])
    assert article.title == headline
    assert article.text.split("\n\n") == story
