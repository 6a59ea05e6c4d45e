"""The bar on the seed pages, checked by hand against the pages themselves.

Each expectation below was read off the seed files: which lines are article body,
which are page chrome, which are metadata.
"""

from datetime import datetime

import pytest

from extract.text_page import extract_text_page
from tests.conftest import seed_path


def extracted(prefix: str):
    return extract_text_page(seed_path(prefix).read_text(encoding="utf-8"))


# (seed, body lines that must stay (starts), chrome lines that must go (whole or start))
BAR = {
    "000": (
        ["انتهت زيارة الرئيس الروسي", "واجمع المراقبون على ان", "لقاء الرئيسان الروسي والكوري"],
        ["23 نوفمبر، 2024", "Search", "Close this search box.", "أحدث المقالات"],
    ),
    "001": (
        ["على عكس المتوقع، حفلت زيارة", "سجادة حمراء", "ترسانة للاستبداد",
         "كما لفت بوتين إلى أن البلدين", "وقال «نقاتل اليوم معا", "واضاف «تثبت هذه النية"],
        ["اتفاق دفاع متبادل… وكيم يدعم", "بوتين وزعيم كوريا الشمالية في بيونغ يانغ.",
         "بيونغ يانغ: «خليجيون»", "اقرأ المزيد", "أمام مجلس حقوق الإنسان", "أهم الأخبار",
         "الكويت وإيران إلى «جولة حوار»"],
    ),
    "002": (
        ["وفقا لمسؤول أميركي", "ماذا تريد روسيا من كوريا الشمالية؟", "ماذا يريد كيم في المقابل؟",
         "قال خبراء إن أولويات كيم", "فيما يلي نظرة على ما قد تعنيه", "وقال بارك \"على أية حال"],
        ["5 يوليو 2024", "6 سبتمبر 2023", "يمن فريدم-أسوشيتيد برس", "REUTERS", "الفيس بوك",
         "تويتر", "جميع الحقوق محفوظة"],
    ),
    "003": (
        ["تتشكل، بصورة غير رسمية", "نعم، ترامب التقى بزعيم", "ولكن الآن، لا يمكن أن نتوقع"],
        ["المقالة تعبر فقط عن رأي", "المصدر: RT Arabic", "كلمات دلالية", "إقرأ أيضاً",
         # the second article embedded after the first one ends
         "هل يعيد ترامب فتح دبلوماسية سرية", "من خلال ترشيح ماركو روبيو", "دافعه الأول",
         "US President Donald Trump says", "— CNN (@CNN)", "مقالات مشابهة", "• لا تقللوا"],
    ),
    "004": (
        ["في زيارة غير عادية وباتفاقية", "تغير خارطة القوى", "هل تشارك كوريا في الحرب الأوكرانية؟",
         "تصدير الصواريخ إلى روسيا", "ويشير إلى أنه \"ربما نشهد"],
        ["الارشيف / عرب وعالم", "أخبار ذات صلة", "اتفاق بين بوتين وكيم على التعاون",
         "هذا ما ستجنيه روسيا وكوريا الشمالية", "Advertisements", "قد تقرأ أيضا",
         "محمد الرخا - دبي"],
    ),
}


@pytest.mark.parametrize("seed", sorted(BAR))
def test_seed_body_kept_and_chrome_dropped(seed):
    keep, drop = BAR[seed]
    paragraphs = extracted(seed).text.split("\n\n")
    for start in keep:
        assert any(p.startswith(start) for p in paragraphs), f"{seed}: lost body line {start!r}"
    for start in drop:
        assert not any(p.startswith(start) for p in paragraphs), f"{seed}: kept chrome {start!r}"


def test_every_body_paragraph_of_001_is_kept():
    # 001's body runs from the lede to the Vietnam line, 29 paragraphs and 2 subheadings.
    lines = [ln.strip() for ln in seed_path("001").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("على عكس المتوقع"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("واضاف «تثبت"))
    assert extracted("001").text.split("\n\n") == lines[start : end + 1]


def test_titles_are_metadata_not_body():
    result = extracted("001")
    assert result.title == "ما أبرز نتائج زيارة بوتين إلى كوريا الشمالية؟"
    assert result.title not in result.text
    assert extracted("000").title == "لقاء بوتين وكيم جون و الإخفاقات المستمرة للإدارة الأمريكية"
    assert extracted("004").title.startswith("خبراء روس: اتفاقية بوتين وكيم")


def test_dateline_moves_into_author_and_date():
    result = extracted("004")
    assert result.author == "محمد الرخا"
    assert result.published_at == datetime(2024, 6, 19, 20, 28)
    assert result.text.startswith("في زيارة غير عادية")


def test_site_header_date_is_not_the_article_date():
    # 000's only date is the site's top bar ("today"); 002's second date is the article's.
    assert extracted("000").published_at is None
    assert extracted("002").published_at == datetime(2023, 9, 6)


def test_language_is_identified():
    assert {extracted(s).language for s in BAR} == {"ar"}
