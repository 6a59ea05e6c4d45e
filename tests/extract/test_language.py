from extract.language import SAMPLE_CHARS, identify_language, prose_sample

ARABIC = ("انتهت زيارة الرئيس الروسي فلاديمير بوتين الى كوريا الشمالية، والتي اكدت بيونغ "
          "يانغ اهتمامها الكبير بهذه الزيارة، والطريقة التي استقبل بها بوتين تحمل الكثير "
          "من الدلالات، ووقع الزعيمان اتفاقية شراكة استراتيجية بين البلدين.")
# An opening of short lines in another language: headlines of other stories, a
# dateline, a photo credit; more than the sample's length of them.
OPENING = [f"Read more: Markets close higher on day {n} of the rally" for n in range(14)]


def test_the_language_is_read_from_the_prose_not_from_a_long_opening_of_short_lines():
    text = "\n\n".join([*OPENING, ARABIC, ARABIC])
    assert sum(map(len, OPENING)) > SAMPLE_CHARS
    assert identify_language(text) == "ar"
    # without the prose, the opening decides
    assert identify_language("\n\n".join(OPENING)) == "en"


def test_the_sample_is_bounded_and_falls_back_to_the_other_paragraphs_in_order():
    assert len(prose_sample("\n\n".join([ARABIC] * 20))) == SAMPLE_CHARS
    short = "\n\n".join(OPENING[:3])
    assert prose_sample(short) == short.replace("\n\n", "\n")


def test_a_script_written_without_spaces_is_sampled_in_order():
    text = "日本の首相は火曜日、来年度の予算案について閣議で決定したと発表した。" * 10
    assert prose_sample(text) == text[:SAMPLE_CHARS]
    assert identify_language(text) == "ja"
