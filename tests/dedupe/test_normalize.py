from dedupe.normalize import light_stem, normalize, tokenize


def test_arabic_diacritics_and_tatweel_are_removed():
    assert normalize("مُحَمَّد") == normalize("محمد")
    assert normalize("العـــربية") == normalize("العربية")


def test_alef_ya_ta_marbuta_variants_fold():
    assert normalize("أحمد إلى آخر") == "احمد الي اخر"
    assert normalize("مدرسة") == "مدرسه"
    assert normalize("مستشفى") == "مستشفي"


def test_arabic_indic_digits_become_ascii():
    assert tokenize("عام ٢٠٢٤") == ["عام", "2024"]


def test_latin_text_only_lower_cased():
    assert tokenize("Putin met Kim in Pyongyang, 2024.") == [
        "putin", "met", "kim", "in", "pyongyang", "2024"
    ]


def test_zero_width_characters_do_not_split_words():
    assert tokenize("كو\u200cريا") == ["كوريا"]


def test_chinese_is_split_into_characters():
    assert tokenize("普京访问朝鲜") == list("普京访问朝鲜")


def test_light_stem_strips_article_and_plural_but_keeps_short_words():
    assert light_stem("والمعاهدات") == "معاهد"
    assert light_stem("المعاهده") == light_stem("معاهده")
    assert light_stem("كيم") == "كيم"
    assert light_stem("putin") == "putin"


def test_letter_variants_fold_as_a_translation_table_would_in_any_order_of_text():
    import random

    from dedupe.normalize import _LETTER_VARIANTS, fold_letter_variants

    table = str.maketrans(_LETTER_VARIANTS)
    alphabet = list(_LETTER_VARIANTS) + list("ايهوك0123 abcماذا")
    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert fold_letter_variants(text) == text.translate(table)
