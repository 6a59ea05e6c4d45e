"""trafilatura's class-and-id XPaths, evaluated as Python over the elements.

trafilatura finds menus, comments, share boxes and the article's frame with XPaths
that test each element's @id, @class, @style and @role, mostly with EXSLT regexes
(`re:test`). lxml runs every `re:test` as a call from libxml2 back into Python, with
its arguments wrapped as Python objects, several per element: on a news page these
expressions took ~6 ms, a fifth of trafilatura's time. The same tests written in
Python, on the elements whose tag can match, select the same elements in the same
order in a fraction of that.

Each expression is translated from its own text by a small grammar that knows only
the forms trafilatura writes (an `or` of attribute tests, tag tests, `not(...)` of
those, `[1]`). An expression with any other form stays an XPath. Two XPath rules
that a Python reading gets wrong, kept here:
- a string function of `@id|@class` reads the first of the two attributes *in the
  element's attribute order*, not both;
- `.//*[...][1]` is the first match among each element's children, while
  `(.//*[...])[1]` is the first match in the document.
tests/extract/test_attribute_xpaths.py checks every translation against libxml2 on
random elements built from the expressions' own tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from lxml.etree import Element, _Element
from trafilatura import xpaths

# The lists trafilatura's extraction calls, each entry `expression(tree)`.
LISTS = ("BODY_XPATH", "COMMENTS_XPATH", "REMOVE_COMMENTS_XPATH",
         "REMOVE_COMMENTS_AND_LISTS_XPATH", "RAW_TREE_PRUNE_XPATH",
         "OVERALL_DISCARD_XPATH", "TEASER_DISCARD_XPATH", "PRECISION_DISCARD_XPATH",
         "DISCARD_IMAGE_ELEMENTS", "COMMENTS_DISCARD_XPATH")

# trafilatura's own expressions, kept before `install` replaces them.
TRAFILATURAS: dict[str, list] = {name: list(getattr(xpaths, name)) for name in LISTS}

Test = Callable[[_Element], bool]

_ATTRIBUTE = r"@[\w-]+"
_QUOTED = r"'([^']*)'"
# What a string function reads: one attribute, the first of two, or one translated.
_ARGUMENT = re.compile(
    rf"(?P<union>{_ATTRIBUTE}\|{_ATTRIBUTE})|"
    rf"translate\((?P<translated>{_ATTRIBUTE}),\s*{_QUOTED},\s*{_QUOTED}\)|"
    rf"(?P<single>{_ATTRIBUTE})$")
_CALL = re.compile(rf"(contains|starts-with|re:test)\((.+?),\s*{_QUOTED}(?:,\s*'(i)')?\)$")
_EQUALS = re.compile(rf"({_ATTRIBUTE})={_QUOTED}$")
_TAG = re.compile(r"self::([\w-]+)$")
_HAS_DESCENDANT = re.compile(r"not\(\.//([\w-]+)\)$")
_NOT = re.compile(r"not\((.+)\)$")


class Unsupported(ValueError):
    """An expression in a form this grammar does not know: it stays an XPath."""


def first_of(element: _Element, one: str, other: str) -> str:
    """XPath's string value of `@one|@other`: whichever the element declares first."""
    first, second = element.get(one), element.get(other)
    if first is None:
        return second or ""
    if second is None:
        return first
    keys = element.keys()
    return first if keys.index(one) < keys.index(other) else second


class _Source:
    """Python source of one test of an element `e`, its constants named in `names`."""

    def __init__(self) -> None:
        self.names: dict[str, object] = {"first_of": first_of}

    def constant(self, value: object) -> str:
        name = f"c{len(self.names)}"
        self.names[name] = value
        return name

    def reader(self, argument: str) -> str:
        match = _ARGUMENT.fullmatch(argument.strip())
        if match is None:
            raise Unsupported(argument)
        if match["union"]:
            one, other = (name[1:] for name in match["union"].split("|"))
            return f"first_of(e, {one!r}, {other!r})"
        if match["translated"]:
            table = self.constant(str.maketrans(match[3], match[4]))
            return f"(get({match['translated'][1:]!r}) or '').translate({table})"
        return f"(get({match['single'][1:]!r}) or '')"

    def atom(self, text: str) -> str:
        text = text.strip()
        if (tag := _TAG.match(text)) is not None:
            return f"e.tag == {tag[1]!r}"
        if (below := _HAS_DESCENDANT.match(text)) is not None:
            return f"next(e.iterdescendants({below[1]!r}), None) is None"
        if (negated := _NOT.match(text)) is not None:
            return f"not ({self.predicate(negated[1])})"
        if (equals := _EQUALS.match(text)) is not None:
            return f"get({equals[1][1:]!r}) == {equals[2]!r}"
        if re.fullmatch(_ATTRIBUTE, text):
            return f"get({text[1:]!r}) is not None"
        call = _CALL.match(text)
        if call is None:
            raise Unsupported(text)
        function, read, argument = call[1], self.reader(call[2]), call[3]
        if function == "contains":
            return f"{argument!r} in {read}"
        if function == "starts-with":
            return f"{read}.startswith({argument!r})"
        # lxml's re:test is `re.search`, with "i" for IGNORECASE
        search = self.constant(re.compile(argument, re.I if call[4] else 0).search)
        return f"{search}({read}) is not None"

    def predicate(self, text: str) -> str:
        atoms = [self.atom(part) for part in _split(" ".join(text.split()), " or ")]
        return " or ".join(f"({atom})" for atom in atoms)

    def test(self, predicates: list[str]) -> Test:
        body = " and ".join(f"({self.predicate(text)})" for text in predicates)
        # one function per expression: a call per element, not one per test
        exec(f"def test(e):\n    get = e.get\n    return {body or 'True'}\n", self.names)
        return self.names["test"]


def _outside_quotes(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of `text` outside quotes, its place, and how deep in brackets
    it is (a closing bracket counts as inside)."""
    depth, quoted = 0, False
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted:
            depth += char in "(["
            yield i, char, depth
            depth -= char in ")]"


def _split(text: str, separator: str) -> list[str]:
    """`text` cut at `separator` outside quotes and brackets."""
    parts, start = [], 0
    for i, _, depth in _outside_quotes(text):
        if depth == 0 and i >= start and text.startswith(separator, i):
            parts.append(text[start:i])
            start = i + len(separator)
    return [*parts, text[start:]]


def _brackets(text: str) -> list[str]:
    """The bracketed predicates that make up all of `text`."""
    predicates, start = [], 0
    for i, char, depth in _outside_quotes(text):
        if depth == 0:
            if not char.isspace():
                raise Unsupported(text)
        elif char == "[" and depth == 1:
            start = i + 1
        elif char == "]" and depth == 1:
            predicates.append(text[start:i])
    return predicates


@dataclass(frozen=True)
class Rule:
    """One of trafilatura's expressions, called as it is: `rule(tree)` gives the
    matching descendants of `tree` in document order."""

    path: str
    tags: tuple[str, ...]  # the only tags that can match; empty: any element
    test: Test
    first: str  # "": every match; "child": `[...][1]`; "document": `(...)[1]`

    def candidates(self, tree: _Element) -> Iterator[_Element]:
        return tree.iterdescendants(*self.tags) if self.tags else tree.iterdescendants(
            Element)

    def __call__(self, tree: _Element) -> list[_Element]:
        found = filter(self.test, self.candidates(tree))
        if self.first == "document":
            return [element] if (element := next(found, None)) is not None else []
        if self.first == "child":
            parents: set = set()
            kept = []
            for element in found:
                parent = element.getparent()
                if parent not in parents:
                    parents.add(parent)
                    kept.append(element)
            return kept
        return list(found)


def translated(path: str) -> Rule:
    """`path` as a Rule, or Unsupported."""
    text = path.strip()
    first = ""
    if text.startswith("(") and text.endswith(")[1]"):
        text, first = text[1:-4].strip(), "document"
    if not text.startswith(".//*"):
        raise Unsupported(path)
    predicates = _brackets(text[len(".//*"):])
    if predicates and predicates[-1].strip() == "1":
        if first:
            raise Unsupported(path)
        predicates, first = predicates[:-1], "child"
    if not predicates:
        raise Unsupported(path)
    tags: tuple[str, ...] = ()
    parts = _split(" ".join(predicates[0].split()), " or ")
    if all(_TAG.match(part.strip()) for part in parts):
        tags = tuple(_TAG.match(part.strip())[1] for part in parts)
        predicates = predicates[1:]
    return Rule(path, tags, _Source().test(predicates), first)


def rules() -> dict[str, list]:
    """Each list with every expression the grammar reads as a Rule, the rest as
    trafilatura's XPaths."""
    out: dict[str, list] = {}
    for name, expressions in TRAFILATURAS.items():
        out[name] = []
        for expression in expressions:
            try:
                out[name].append(translated(expression.path))
            except Unsupported:
                out[name].append(expression)
    return out


def _put(lists: dict[str, list]) -> None:
    # in place: trafilatura's modules imported the lists themselves, not the module
    for name, expressions in lists.items():
        getattr(xpaths, name)[:] = expressions


def install() -> None:
    _put(rules())


@contextmanager
def trafilaturas_own() -> Iterator[None]:
    """trafilatura's XPaths for the duration, as plain trafilatura runs."""
    installed = {name: list(getattr(xpaths, name)) for name in LISTS}
    _put(TRAFILATURAS)
    try:
        yield
    finally:
        _put(installed)
