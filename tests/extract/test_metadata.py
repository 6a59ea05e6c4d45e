import random
import re

from lxml.html import fromstring
from trafilatura.xpaths import AUTHOR_XPATHS

from extract.metadata import author_in_page, may_have_byline

ATTRIBUTES = ("class", "id", "itemprop", "rel", "data-testid", "data-component", "title")
TAGS = ("a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "section",
        "li", "author", "rel")


def words_in_author_xpaths() -> list[str]:
    """Every literal trafilatura's author XPaths compare attributes with, regex
    alternatives spelled out roughly (`[Aa]uthor` as both, `-?` with and without), so
    that a word trafilatura adds later shows up here too."""
    words = set()
    for literal in re.findall(r"'([^']*)'", " ".join(x.path for x in AUTHOR_XPATHS)):
        for alternative in literal.split("|"):
            alternative = alternative.lstrip("^")
            for chosen in (0, -1):
                word = re.sub(r"\[(\w+)\]", lambda m, c=chosen: m.group(1)[c], alternative)
                words.add(word.replace("-?", "-"))
                words.add(word.replace("-?", ""))
    return sorted(w for w in words if re.fullmatch(r"[\w -]+", w))


def random_page(rng: random.Random, words: list[str]) -> str:
    near_misses = ["auth", "by-line", "Writer", "user-name", "screen-name", "main", "post"]
    elements = []
    for _ in range(rng.randint(1, 6)):
        tag = rng.choice(TAGS)
        attributes = []
        for name in rng.sample(ATTRIBUTES, rng.randint(0, 2)):
            value = rng.choice([rng.choice(words), rng.choice(near_misses)])
            if rng.random() < 0.5:
                value = rng.choice(["", "top-", "js "]) + value + rng.choice(["", "-box", " x"])
            attributes.append(f'{name}="{value}"')
        text = rng.choice(["By Sam Writer", "me", "Jane Doe and John Roe", "Home"])
        elements.append(f"<{tag} {' '.join(attributes)}>{text}</{tag}>")
    return f"<html><body><div>{''.join(elements)}</div></body></html>"


def test_the_cheap_byline_test_never_says_no_where_trafilaturas_xpaths_match():
    words = words_in_author_xpaths()
    assert {"author", "Author", "byline", "Byline", "writer", "AuthorCard"} <= set(words)
    rng = random.Random(7)
    matched = skipped = 0
    for _ in range(3000):
        page = random_page(rng, words)
        tree = fromstring(page)
        if any(xpath(tree) for xpath in AUTHOR_XPATHS):
            matched += 1
            assert may_have_byline(tree), page
        elif not may_have_byline(tree):
            skipped += 1
    # Both sides of the test were exercised.
    assert matched > 500 and skipped > 100


def test_a_page_without_byline_markup_has_no_author_and_one_with_it_has():
    page = "<html><body><div class='{}'>By Sam Writer</div><p>Text</p></body></html>"
    assert author_in_page(fromstring(page.format("story"))) is None
    assert author_in_page(fromstring(page.format("story-author"))) == "Sam Writer"
