"""Site templates: lines recurring across a site's distinct articles are dropped."""

from datetime import UTC, datetime

from extract import RawPage, extract_page
from extract.templates import (
    SiteSample,
    TemplateSettings,
    drop_template_lines,
    learn,
    line_key,
    line_keys,
    template_of,
    template_site,
    with_samples,
)

PROMO = ("Download our free app today and follow all of the latest news and analysis "
         "from our newsroom wherever you are, at any hour of the day.")

STORY = [
    "The city council approved the new budget on Tuesday after a long debate about the "
    "cost of public transport and the repair of roads in the northern districts.",
    "Members of the opposition said that the plan would not be enough to fix the problems "
    "of the bus network, which has been losing passengers for years.",
]


def sample(n: int, *extra: str) -> SiteSample:
    return SiteSample(f"a{n}", frozenset({line_key(f"body line {n}"), *map(line_key, extra)}))


def test_a_line_in_enough_distinct_articles_is_template_and_one_in_fewer_is_not():
    samples = [sample(i, PROMO, "Follow us") for i in range(4)] + [sample(9, "Follow us")]
    template = template_of(samples)
    assert line_key(PROMO) in template and line_key("Follow us") in template
    assert line_key("body line 1") not in template
    # three articles are not enough, whatever their share
    assert line_key(PROMO) not in template_of(samples[1:])


def test_a_line_recurring_in_a_small_share_of_a_large_sample_is_not_template():
    # A "most read" headline or a running story's background paragraph: in 6 of 50
    # articles of a busy site.
    samples = [sample(i, PROMO) if i < 6 else sample(i) for i in range(50)]
    assert line_key(PROMO) not in template_of(samples)
    samples = [sample(i, PROMO) if i < 12 else sample(i) for i in range(50)]
    assert line_key(PROMO) in template_of(samples)


def test_keys_ignore_spacing_and_case_but_not_words():
    assert line_key("  Follow   us on X ") == line_key("follow us on x")
    assert line_key("Follow us on X") != line_key("Follow us on Y")
    text = "Follow us on X today\n\n  Sign up for our  newsletter \nConclusion\nKey takeaways"
    # Headings and short chrome are never template: only lines of four words or more.
    assert line_keys(text) == {line_key("follow us on x today"),
                               line_key("Sign up for our newsletter")}


def test_dropping_keeps_the_other_paragraphs_and_counts_what_went():
    text = f"{STORY[0]}\n\n{PROMO}\n\n{STORY[1]}\n\nFollow us"
    kept, dropped = drop_template_lines(text, frozenset({line_key(PROMO), line_key("Follow us")}))
    assert kept == f"{STORY[0]}\n\n{STORY[1]}"
    assert dropped == (PROMO, "Follow us")


def test_a_text_that_is_mostly_template_is_left_whole():
    # A site republishing a story it ran before: the "template" would be the body.
    text = f"{PROMO}\n\n{PROMO.upper()} AGAIN\n\nShort new line."
    template = frozenset({line_key(PROMO), line_key(f"{PROMO} again")})
    assert drop_template_lines(text, template) == (text, ())


def test_the_sample_keeps_the_latest_articles_and_replaces_one_seen_again():
    settings = TemplateSettings(sample_articles=3)
    samples = with_samples([], [sample(i) for i in range(5)], settings)
    assert [s.article_id for s in samples] == ["a2", "a3", "a4"]
    again = SiteSample("a3", frozenset({line_key("new text")}))
    samples = with_samples(samples, [again], settings)
    assert [s.article_id for s in samples] == ["a2", "a4", "a3"]
    assert samples[-1] == again


def test_learning_updates_only_the_sites_given():
    stored = {"a.example": (sample(1),), "b.example": (sample(2),)}
    learned = learn(stored, [("a.example", sample(3)), ("c.example", sample(4))])
    assert set(learned) == {"a.example", "c.example"}
    assert [s.article_id for s in learned["a.example"]] == ["a1", "a3"]


def test_the_template_site_is_the_host_or_the_folder():
    assert template_site("https://www.news.example/world/1.html") == "news.example"
    assert template_site("http://news.example:8080/a") == "news.example"
    assert template_site("file:///data/site-a/2024/page.txt") == "file:///data/site-a/2024"
    assert template_site("not a url") is None


def text_page(body: str) -> RawPage:
    return RawPage(url="https://daily.example/story.txt", source="test",
                   fetched_at=datetime(2024, 6, 20, tzinfo=UTC), body=body.encode(),
                   content_type="text/plain")




def test_a_template_line_the_classifier_keeps_is_dropped_from_the_article():
    page = text_page("\n".join([STORY[0], PROMO, STORY[1]]))
    plain = extract_page(page)
    assert PROMO in plain.article.text  # prose: the line classifier cannot tell
    assert plain.stats["template_lines"] == 0

    cleaned = extract_page(page, frozenset({line_key(PROMO)}))
    assert PROMO not in cleaned.article.text
    assert STORY[0] in cleaned.article.text and STORY[1] in cleaned.article.text
    assert cleaned.stats["template_lines"] == 1 and cleaned.template_lines == (PROMO,)
    # The site's template keeps learning from the line though it was dropped.
    assert line_key(PROMO) in cleaned.line_keys


def test_a_template_line_is_dropped_from_an_html_article_too():
    paragraphs = "".join(f"<p>{p}</p>" for p in (STORY[0], PROMO, STORY[1]))
    page = RawPage(url="https://daily.example/story", source="test",
                   fetched_at=datetime(2024, 6, 20, tzinfo=UTC),
                   body=f"<html><body><article>{paragraphs}</article></body></html>".encode(),
                   content_type="text/html")
    assert PROMO in extract_page(page).article.text
    cleaned = extract_page(page, frozenset({line_key(PROMO)}))
    assert PROMO not in cleaned.article.text and STORY[1] in cleaned.article.text
