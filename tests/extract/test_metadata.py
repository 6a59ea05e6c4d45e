import random
import re
from copy import deepcopy

from lxml.html import fromstring, tostring
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_metainfo
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from extract.metadata import (
    author_in_page,
    byline_candidates,
    in_comments,
    on_context_element,
)

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


def random_element(rng: random.Random, words: list[str], depth: int) -> str:
    near_misses = ["auth", "by-line", "Writer", "user-name", "screen-name", "main", "post"]
    # what trafilatura's author search discards: comment lists, sidebars, dates, figures
    discarded = ["comments", "sidebar", "date", "meta-date", "is-hidden"]
    tag = rng.choice(TAGS + ("time", "figure"))
    attributes = []
    for name in rng.sample(ATTRIBUTES, rng.randint(0, 2)):
        value = rng.choice([rng.choice(words), rng.choice(near_misses), rng.choice(discarded)])
        if rng.random() < 0.5:
            value = rng.choice(["", "top-", "js "]) + value + rng.choice(["", "-box", " x"])
        attributes.append(f'{name}="{value}"')
    text = rng.choice(["By Sam Writer", "me", "Jane Doe and John Roe", "Home", "", "x" * 130])
    inside = "".join(random_element(rng, words, depth + 1)
                     for _ in range(rng.randint(0, 3) if depth < 3 else 0))
    tail = rng.choice(["", " and Ann Lee", " 12 May"])
    return f"<{tag} {' '.join(attributes)}>{text}{inside}</{tag}>{tail}"


def random_page(rng: random.Random, words: list[str]) -> str:
    body = "".join(random_element(rng, words, 0) for _ in range(rng.randint(1, 5)))
    return f"<html><body><div>{body}</div></body></html>"


def trafilaturas_author(tree) -> str | None:
    """trafilatura's own search (extract_author without its length cut for bylines)."""
    pruned = prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS)
    author = extract_metainfo(pruned, AUTHOR_XPATHS, len_limit=120)
    return normalize_authors(None, author) if author else None


def test_the_byline_search_finds_what_trafilaturas_finds():
    words = words_in_author_xpaths()
    assert {"author", "Author", "byline", "Byline", "writer", "AuthorCard"} <= set(words)
    rng = random.Random(7)
    found = 0
    for _ in range(3000):
        page = random_page(rng, words)
        tree = fromstring(page)
        expected = trafilaturas_author(tree)
        selected = {e for xpath in AUTHOR_XPATHS for e in xpath(tree)}
        assert selected <= set(byline_candidates(tree)), page
        assert author_in_page(tree) == expected, page
        found += expected is not None
    # Both answers were exercised, and the search left the tree as it was.
    assert 500 < found < 2500
    assert tostring(tree) == tostring(fromstring(page))


def test_each_rewritten_xpath_is_true_of_exactly_the_elements_the_original_selects():
    rng = random.Random(11)
    words = words_in_author_xpaths()
    for _ in range(500):
        tree = fromstring(random_page(rng, words))
        for xpath in AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS:
            on_element = on_context_element(xpath)
            assert {e for e in tree.iter() if on_element(e)} == set(xpath(tree)), xpath.path


def test_a_page_without_byline_markup_has_no_author_and_one_with_it_has():
    page = "<html><body><div class='{}'>By Sam Writer</div><p>Text</p></body></html>"
    assert author_in_page(fromstring(page.format("story"))) is None
    assert author_in_page(fromstring(page.format("story-author"))) == "Sam Writer"


def test_a_readers_name_in_the_comments_is_no_byline():
    # ultimahora.es: a commenter's name in an element named for authors, inside the
    # comments, which trafilatura's discard XPaths do not know by that class.
    comments = ("<div class='sf_comment'><p class='sf_comment_info'>"
                "<span class='sf_comment_author'>Alcalino Ruiz</span></p><p>Vaya fiscal.</p></div>")
    page = f"<html><body><p>Text of the story.</p>{comments}</body></html>"
    assert author_in_page(fromstring(page)) == "Alcalino Ruiz"  # trafilatura's answer
    assert author_in_page(fromstring(page), skip=in_comments) is None
    signed = f"<html><body><p class='byline'>By Sam Writer</p><p>Text.</p>{comments}</body></html>"
    assert author_in_page(fromstring(signed), skip=in_comments) == "Sam Writer"
