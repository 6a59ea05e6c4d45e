import random
import re

import pytest
import trafilatura
from lxml.etree import SubElement, XPath
from lxml.html import fromstring
from trafilatura import xpaths

import extract.html  # noqa: F401  (installs the rules)
from extract import attribute_xpaths
from extract.attribute_xpaths import TRAFILATURAS, Rule, Unsupported, first_of, translated

# The expressions a news page spends its time in: each must be read as Python, or the
# speed is lost without a word.
HOT = ("OVERALL_DISCARD_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH", "RAW_TREE_PRUNE_XPATH",
       "TEASER_DISCARD_XPATH", "DISCARD_IMAGE_ELEMENTS", "REMOVE_COMMENTS_XPATH")


def _readable(path: str) -> bool:
    try:
        translated(path)
    except Unsupported:
        return False
    return True


# every expression the grammar reads, against the XPath it replaces
PAIRS = [(name, i, expression) for name, expressions in TRAFILATURAS.items()
         for i, expression in enumerate(expressions) if _readable(expression.path)]
ATTRIBUTES = ("id", "class", "style", "role", "aria-hidden", "itemprop",
              "data-component", "data-lp-replacement-content", "title")
NOISE = ("x", "main", "post", "Nav", "ad", "content", "Comment", "commentary", "hidden",
         "bottom", " ", "-", "_", "display:none", "border: 1px", "true", "ARTICLE", "T")


def vocabulary(path: str) -> list[str]:
    """Strings to build attribute values from: the literals and regex alternatives of
    `path`, whole and cut, so that values match, nearly match and do not."""
    words = []
    for quoted in re.findall(r"'([^']*)'", path):
        for part in quoted.split("|"):
            literal = re.sub(r"\(\?:|\(\?!\w+\)|[\\^$()?\[\]]|\\s", "", part)
            words += [literal, literal[:3], literal[1:], literal.upper()]
    return [word for word in words if word] or list(NOISE)


def value(rng: random.Random, words: list[str]) -> str:
    picks = [rng.choice(words if rng.random() < 0.7 else NOISE)
             for _ in range(rng.randint(1, 3))]
    return rng.choice((" ", "-", "", "  ")).join(picks)


def random_tree(rng: random.Random, words: list[str], tags: list[str]):
    """A page of nested elements of the expressions' tags, with attributes from their
    vocabulary in random order, some comments among them."""
    root = fromstring("<html><body></body></html>")
    elements = [root.find("body")]
    for _ in range(rng.randint(1, 60)):
        parent = rng.choice(elements)
        if rng.random() < 0.05:
            parent.append(fromstring("<div><!-- a comment --></div>")[0])
            continue
        element = SubElement(parent, rng.choice(tags))
        for name in rng.sample(ATTRIBUTES, rng.randint(0, 4)):
            element.set(name, value(rng, words))
        element.text = rng.choice(("", "text", None))
        elements.append(element)
    return root


@pytest.mark.parametrize(("name", "i", "expression"), PAIRS,
                         ids=[f"{name}[{i}]" for name, i, _ in PAIRS])
def test_each_rule_selects_what_libxml2_selects(name, i, expression):
    rule = translated(expression.path)
    rng = random.Random(f"{name}{i}")
    words = vocabulary(expression.path)
    tags = [*re.findall(r"self::([\w-]+)", expression.path), "div", "span", "h1", "h1", "a",
            "ol", "ul", "p", "article", "main", "section"]
    selected = 0
    for _ in range(300):
        tree = random_tree(rng, words, tags)
        start = rng.choice([tree, *tree.iter("div")])
        expected = expression(start)
        found = rule(start)
        assert [id(e) for e in found] == [id(e) for e in expected], expression.path
        selected += len(expected)
    # the trees exercised the rule: it selected something, and not everything
    assert selected > 0


def test_the_heavy_expressions_are_all_read():
    for name in HOT:
        for expression in getattr(xpaths, name):
            assert isinstance(expression, Rule), (name, expression.path)


def test_the_first_of_two_attributes_is_the_one_written_first():
    tree = fromstring('<div><p class="cookie" id="a"></p><p id="a" class="cookie"></p></div>')
    first, second = tree
    assert first_of(first, "id", "class") == "cookie"
    assert first_of(second, "id", "class") == "a"
    rule = translated(".//*[re:test(@id|@class, 'cookie')]")
    assert rule(tree) == [first]


def test_first_among_siblings_differs_from_first_in_the_document():
    tree = fromstring("<div><section><p class='x'/><p class='x'/></section>"
                      "<section><p class='x'/></section></div>")
    among_siblings = translated(".//*[self::p][@class='x'][1]")
    in_document = translated("(.//*[self::p][@class='x'])[1]")
    p1, _, p3 = tree.iter("p")
    assert among_siblings(tree) == [p1, p3]
    assert in_document(tree) == [p1]


@pytest.mark.parametrize("path", [
    ".//header", ".//cite|.//quote", "(.//article)[1]",
    ".//*[@class='a'][2]", ".//*[contains(text(), 'x')]", ".//*[@a or count(.//p) > 2]",
    "(.//*[@id='a'])[1]|(.//main)[1]", ".//*[re:test(@id, 'a', 'g')]",
])
def test_forms_it_does_not_know_stay_xpaths(path):
    XPath(path, namespaces={"re": xpaths.REGEXP_NS})  # each is a valid XPath
    with pytest.raises(Unsupported):
        translated(path)


def test_plain_trafilatura_gets_its_own_xpaths_back():
    page = ("<html><body><article><h1>Summit</h1>" + "<p>The leaders met in Pyongyang "
            "and signed a pact on mutual assistance. </p>" * 5 +
            "<div class='share-tools'>Share this on Facebook</div></article></body></html>")
    with extract.html.plain_trafilatura():
        assert all(a is b for a, b in zip(xpaths.OVERALL_DISCARD_XPATH,
                                          TRAFILATURAS["OVERALL_DISCARD_XPATH"], strict=True))
        plain = trafilatura.extract(page)
    assert isinstance(xpaths.OVERALL_DISCARD_XPATH[0], Rule)
    ours = trafilatura.extract(page)
    assert ours == plain
    assert "Share this" not in ours


def test_install_twice_keeps_one_set_of_rules():
    attribute_xpaths.install()
    assert len(xpaths.OVERALL_DISCARD_XPATH) == len(TRAFILATURAS["OVERALL_DISCARD_XPATH"])
    assert isinstance(xpaths.OVERALL_DISCARD_XPATH[1], Rule)
