"""Extraction quality and speed: the project's extractor beside plain trafilatura.

    .venv/bin/python bench/extraction.py [--shared ../shared] [--limit N] [--only-text-pages]
    .venv/bin/python bench/extraction.py --only-speed   # WCXB pages per second only
    .venv/bin/python bench/extraction.py --wcxb DIR --zyte DIR --semeval FILE  # other splits

The ratio of one code moves by ±0.05 between runs as the machine's speed drifts; to
compare two versions, alternate them in one phase, each from its checkout (the project
is installed editable, so PYTHONPATH picks the checkout's code):

    git worktree add /tmp/before <ref>
    for d in /tmp/before .; do (cd $d && PYTHONPATH=$PWD:$PWD/bench \
        $OLDPWD/.venv/bin/python bench/extraction.py --only-speed --shared ...); done

WCXB dev articles: mean per-page word F1 over lower-cased \\w+ tokens (WCXB's method);
ScrapingHub/Zyte: per-page precision and recall over 4-word shingles, averaged over
pages, F1 from the averages. Titles, dates and authors are scored against the WCXB gold
too (authors: the same words, in order).
Rendered-text pages: the same pages as a browser shows them, copied as text (one line
per block element, scripts, styles and the head left out; `rendered_text`), through the
text-page path (`content_type` text/plain), scored the same two ways; beside them, the
score of keeping the whole rendered text (what the classifier starts from). The seeds
are such pages; this scores the classifier on the languages of the benchmark sets, and
the title it finds against the WCXB gold title, and how many authors it finds and how
many of those are in the gold byline.
Arabic text pages: each article of the SemEval-2022 Arabic dev pairs written as a page
of its title line, a blank line and its text (what a feed item or a copied story looks
like); the share of its title found exactly and of its text's words kept, and how many
bylines ("كتب - …") gave an author. The texts
are as the data set's scraper left them (a few embedded posts and share prompts in),
so a little under 1 is the best a classifier that drops chrome can do. The same
articles set each in one seed page's chrome in turn (`in_seed_chrome`: its menus,
share buttons, related boxes, a second article under the story, its footer; the
headline where the seed's stood): titles found, the story's words kept, and the share
of the chrome's words left in the text. The first corpus, with stories whose text is
known. And the same articles with their paragraph breaks lost (`one_line`: the text as
one line under its title): pages left without an article, words kept.
Broken nesting (`--only-broken-nesting`): WCXB's pages with every </div> left out, each
block nesting in the one before; word F1 of both, and the gold's words kept, on the
pages that reach libxml2's depth limit.
Both extractors run on the same pages in the same process; pages per second of each,
timed over whole passes in the order ours, plain, plain, ours. Not page by page: run
one after the other on a page, the second runs faster on it (caches inside trafilatura
and lxml the first has filled), which made ours 0.80x or 0.91x of plain on the same
code depending on which went first.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from data_sets import DataSets, add_arguments, data_sets, page_files, page_name, page_of, read_page
from lxml.html import HtmlElement, HTMLParser, fromstring

from extract import RawPage, extract_page
from extract import warm_up as warm_up_extractor
from extract.decode import decode
from extract.html import plain_trafilatura
from extract.text_page import clean_lines, extract_text_page

WORD = re.compile(r"\w+")
NOW = datetime.now(UTC)
# trafilatura's own parser settings, to tell which pages reach libxml2's depth limit
DEPTH_CHECK = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                         remove_comments=True, remove_pis=True)


def word_f1(predicted: str, gold: str) -> float:
    p, g = Counter(WORD.findall(predicted.lower())), Counter(WORD.findall(gold.lower()))
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    overlap = sum((p & g).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    tokens = WORD.findall(text.lower())
    return {tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))}


def shingle_pr(predicted: str, gold: str) -> tuple[float, float]:
    p, g = shingles(predicted), shingles(gold)
    inter = len(p & g)
    return (inter / len(p) if p else 0.0), (inter / len(g) if g else 0.0)


def ours(html: bytes, url: str) -> tuple[str, object]:
    result = extract_page(RawPage(url, "bench", NOW, html, "text/html"))
    return (result.article.text if result.article else ""), result.article


def plain(html: bytes, url: str) -> str:
    # importing `extract` replaced two of trafilatura's functions (extract/html.py)
    with plain_trafilatura():
        return trafilatura.extract(html.decode("utf-8", "replace"), url=url) or ""


EXTRACTORS = {"ours": ours, "plain": plain}

# Elements a browser lays out as blocks (a line break before and after), and what it
# never shows.
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"))
_HIDDEN = ("head", "script", "style", "noscript", "template", "svg", "iframe", "select")


def rendered_text(html: bytes) -> str:
    """The page's text as a reader copies it out of a browser: a line per block."""
    tree = fromstring(decode(html, "text/html").text)
    for element in list(tree.iter(*_HIDDEN)):
        element.drop_tree()
    parts: list[str] = []

    def walk(element: HtmlElement) -> None:
        block = isinstance(element.tag, str) and element.tag in _BLOCKS
        if isinstance(element.tag, str):
            parts.append("\n" if block else "")
            parts.append(element.text or "")
            for child in element:
                walk(child)
            parts.append("\n" if block else "")
        parts.append(element.tail or "")

    body = tree.find("body")
    walk(body if body is not None else tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def ours_on_text(text: str) -> tuple[str, str | None, str | None, datetime | None]:
    """The body, the title, the author and the date the text-page path finds."""
    result = extract_page(RawPage("file:///bench/page.txt", "bench", NOW, text.encode(),
                                  "text/plain"))
    article = result.article
    if article is None:
        return "", None, None, None
    return article.text, article.title, article.author, article.published_at


def same_day(found: datetime | None, gold: str | None) -> bool:
    return bool(found and gold) and str(found.date()) == str(gold)[:10]


def same_title(found: str | None, gold: str | None) -> bool:
    return bool(found and gold) and " ".join(found.lower().split()) == " ".join(
        gold.lower().split())


def rendered(sets: DataSets, limit: int | None) -> dict:
    """Both sets' pages as rendered text, through the text-page path."""
    root = sets.wcxb
    files = page_files(root)[:limit]
    f1 = {"ours": [], "whole text": []}
    titles = dates = dated = 0
    authors = {"found": 0, "in gold byline": 0, "pages with a gold byline": 0}
    for f in files:
        truth = json.loads((root / "ground-truth" / f"{page_name(f)}.json")
                           .read_text())["ground_truth"]
        gold = truth.get("main_content") or ""
        text = rendered_text(read_page(f))
        body, title, author, published = ours_on_text(text)
        f1["ours"].append(word_f1(body, gold))
        f1["whole text"].append(word_f1(text, gold))
        titles += same_title(title, truth.get("title"))
        if truth.get("publish_date"):
            dated += 1
            dates += same_day(published, truth["publish_date"])
        authors["pages with a gold byline"] += bool(truth.get("author"))
        if author:
            authors["found"] += 1
            authors["in gold byline"] += author.lower() in (truth.get("author") or "").lower()
    root = sets.zyte
    golds = json.loads((root / "ground-truth.json").read_text())
    pr = {"ours": [], "whole text": []}
    for page_id in sorted(golds)[:limit]:
        text = rendered_text(read_page(page_of(root, page_id)))
        body = golds[page_id].get("articleBody") or ""
        pr["ours"].append(shingle_pr(ours_on_text(text)[0], body))
        pr["whole text"].append(shingle_pr(text, body))
    out: dict = {"wcxb_word_f1": {k: sum(v) / len(v) for k, v in f1.items()},
                 "wcxb_title_exact": titles / max(len(files), 1),
                 "wcxb_date_exact": dates / max(dated, 1), "wcxb_authors": authors,
                 "zyte": {}}
    for k, values in pr.items():
        p = sum(v[0] for v in values) / len(values)
        r = sum(v[1] for v in values) / len(values)
        out["zyte"][k] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def semeval_articles(semeval: Path, limit: int | None) -> list[tuple[str, str]]:
    """Each article of the SemEval pairs once: its title and its text."""
    seen: dict[str, tuple[str, str]] = {}
    for line in semeval.open(encoding="utf-8"):
        row = json.loads(line)
        for k in "12":
            seen.setdefault(row["id" + k], (row["title" + k], row["text" + k]))
    return list(seen.values())[:limit]


def arabic_text_pages(semeval: Path, limit: int | None) -> dict:
    """SemEval's Arabic articles as text pages: titles found, words of the text kept."""
    pages = semeval_articles(semeval, limit)
    titles = words = kept = bylines = 0
    for title, text in pages:
        body, found, author, _ = ours_on_text(f"{title}\n\n{text}\n")
        bylines += author is not None
        titles += same_title(found, title)
        body_lines = set(clean_lines(body))
        for line in clean_lines(text):
            n = len(WORD.findall(line))
            words += n
            kept += n if line in body_lines else 0
    return {"pages": len(pages), "title_exact": titles / max(len(pages), 1),
            "words_kept": kept / max(words, 1), "authors_found": bylines,
            "one_line": one_line(pages),
            "in_seed_chrome": in_seed_chrome(pages)}


def one_line(pages: list[tuple[str, str]]) -> dict:
    """The same pages with the text's paragraph breaks lost (a text flattened by an
    export or a feed): pages left without an article, and the text's words kept (as a
    multiset: the lines are gone)."""
    lost = words = kept = 0
    for title, text in pages:
        body, *_ = ours_on_text(f"{title}\n\n{' '.join(text.split())}\n")
        lost += not body
        gold = Counter(WORD.findall(text))
        words += gold.total()
        kept += (gold & Counter(WORD.findall(body))).total()
    return {"pages_lost": lost, "words_kept": kept / max(words, 1)}


SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_chrome() -> list[tuple[list[str], list[str], str | None]]:
    """Each seed page's chrome: its lines above the story (with its headline) and below
    it, and its headline. The seeds' split is checked line by line in
    tests/extract/test_seeds.py."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines, result = clean_lines(text), extract_text_page(text)
        body = clean_lines(result.text)
        # The first paragraph can carry a dateline the extractor moved into metadata.
        first = next(i for i, line in enumerate(lines) if body[0][:30] in line)
        last = max(i for i, line in enumerate(lines) if line in set(body))
        out.append((lines[:first], lines[last + 1:], result.title))
    return out


def in_seed_chrome(articles: list[tuple[str, str]]) -> dict:
    """SemEval's Arabic articles each set in one seed page's chrome, in turn (menus,
    share buttons, related boxes, a second article under the first, footers), its
    headline where the seed's stood: the story's words kept, the chrome's words left in
    the text, titles found. What the first corpus looks like, with a known story."""
    chromes = seed_chrome()
    titles = words = kept = leaked = chrome_words = 0
    for n, (title, text) in enumerate(articles):
        above, below, seed_title = chromes[n % len(chromes)]
        top = ([title if line == seed_title else line for line in above]
               if seed_title else [*above, title])
        story = clean_lines(text)
        body, found, _, _ = ours_on_text("\n".join([*top, *story, *below]))
        body_lines = set(clean_lines(body))
        chrome = (set(above) | set(below)) - {seed_title}
        titles += same_title(found, title)
        words += sum(len(WORD.findall(line)) for line in story)
        kept += sum(len(WORD.findall(line)) for line in story if line in body_lines)
        chrome -= set(story)
        chrome_words += sum(len(WORD.findall(line)) for line in chrome)
        leaked += sum(len(WORD.findall(line)) for line in body_lines & chrome)
    return {"title_exact": titles / max(len(articles), 1),
            "story_words_kept": kept / max(words, 1),
            "chrome_words_left": leaked / max(chrome_words, 1)}


def timed_passes(pages: list[tuple[bytes, str]]) -> tuple[dict[str, list], dict[str, float]]:
    """Each extractor over all the pages twice, in the order ours, plain, plain, ours
    (a drift in the machine's speed then weighs on both alike); the outputs of each
    one's first pass, and its seconds over both passes."""
    outputs: dict[str, list] = {}
    seconds = {name: 0.0 for name in EXTRACTORS}
    for name in ("ours", "plain", "plain", "ours"):
        extractor = EXTRACTORS[name]
        started = time.perf_counter()
        results = [extractor(html, url) for html, url in pages]
        seconds[name] += time.perf_counter() - started
        outputs.setdefault(name, results)
    return outputs, {name: s / 2 for name, s in seconds.items()}


def wcxb(root: Path, limit: int | None) -> dict:
    files = page_files(root)[:limit]
    scores = {"ours": [], "plain": []}
    titles = dates = authors = n_title = n_date = n_author = 0
    golds = [json.loads((root / "ground-truth" / f"{page_name(f)}.json").read_text())
             for f in files]
    pages = [(read_page(f), gold.get("url") or f"https://example.com/{f.name}")
             for f, gold in zip(files, golds, strict=True)]
    outputs, seconds = timed_passes(pages)
    for gold, (text, article), base in zip(golds, outputs["ours"], outputs["plain"], strict=True):
        truth = gold["ground_truth"]
        main = truth.get("main_content") or ""
        scores["ours"].append(word_f1(text, main))
        scores["plain"].append(word_f1(base, main))
        if truth.get("title"):
            n_title += 1
            titles += bool(article and article.title and
                           article.title.strip().lower() == truth["title"].strip().lower())
        if truth.get("author"):
            n_author += 1
            authors += bool(article and article.author and
                            WORD.findall(article.author.lower()) ==
                            WORD.findall(truth["author"].lower()))
        if truth.get("publish_date"):
            n_date += 1
            dates += same_day(article.published_at if article else None, truth["publish_date"])
    return {
        "pages": len(files),
        "word_f1": {k: sum(v) / len(v) for k, v in scores.items()},
        "pages_per_second": {k: len(files) / s for k, s in seconds.items()},
        "title_exact": titles / max(n_title, 1),
        "date_exact": dates / max(n_date, 1),
        "author_exact": authors / max(n_author, 1),
    }


def zyte(root: Path, limit: int | None) -> dict:
    gold = json.loads((root / "ground-truth.json").read_text())
    ids = sorted(gold)[:limit]
    pr = {"ours": [], "plain": []}
    pages = [(read_page(page_of(root, page_id)), f"https://example.com/{page_id}")
             for page_id in ids]
    outputs, seconds = timed_passes(pages)
    for page_id, (text, _), base in zip(ids, outputs["ours"], outputs["plain"], strict=True):
        body = gold[page_id].get("articleBody") or ""
        pr["ours"].append(shingle_pr(text, body))
        pr["plain"].append(shingle_pr(base, body))
    out = {"pages": len(ids), "f1": {}, "precision": {}, "recall": {}, "pages_per_second": {}}
    for k, values in pr.items():
        p = sum(v[0] for v in values) / len(values)
        r = sum(v[1] for v in values) / len(values)
        out["precision"][k], out["recall"][k] = p, r
        out["f1"][k] = 2 * p * r / (p + r) if p + r else 0.0
        out["pages_per_second"][k] = len(ids) / seconds[k]
    return out


CLOSING_DIV = re.compile(rb"</div\s*>", re.I)


def broken_nesting(root: Path, limit: int | None) -> dict:
    """WCXB's pages as a broken template writes them: no </div> closes, so each block
    nests in the one before (browsers show such a page as if they were closed). Past
    libxml2's depth limit (255 levels) the rest of such a page is dropped when parsed as
    trafilatura parses it. Word F1 and the gold's words kept, of both extractors, on the
    pages that reach the limit."""
    files = page_files(root)[:limit]
    f1 = {"ours": [], "plain": []}
    kept = {"ours": [], "plain": []}
    for f in files:
        broken = CLOSING_DIV.sub(b"", read_page(f))
        try:
            fromstring(broken, parser=DEPTH_CHECK)
        except Exception:  # "Document is empty": a page neither can read
            continue
        if not any(e.type_name == "ERR_RESOURCE_LIMIT"
                   for e in DEPTH_CHECK.error_log.filter_from_fatals()):
            continue
        truth = json.loads((root / "ground-truth" / f"{page_name(f)}.json")
                           .read_text())["ground_truth"]
        gold = truth.get("main_content") or ""
        url = truth.get("url") or f"https://example.com/{f.name}"
        gold_words = Counter(WORD.findall(gold.lower()))
        for name, text in (("ours", ours(broken, url)[0]), ("plain", plain(broken, url))):
            f1[name].append(word_f1(text, gold))
            found = Counter(WORD.findall(text.lower()))
            kept[name].append((gold_words & found).total() / max(gold_words.total(), 1))
    return {"pages": len(files), "pages_reaching_the_limit": len(f1["ours"]),
            "word_f1": {k: sum(v) / max(len(v), 1) for k, v in f1.items()},
            "gold_words_kept": {k: sum(v) / max(len(v), 1) for k, v in kept.items()}}


def warm_up(root: Path) -> None:
    """Both extractors load their models and lazy imports once, before any page is
    timed, as a pipeline worker does when it starts (`extract.warm_up`)."""
    warm_up_extractor()
    for f in page_files(root)[:5]:
        html = read_page(f)
        ours(html, "https://example.com/warm-up")
        plain(html, "https://example.com/warm-up")


def speed(root: Path, limit: int | None) -> dict:
    files = page_files(root)[:limit]
    pages = [(read_page(f), f"https://example.com/{f.name}") for f in files]
    warm_up(root)
    _, seconds = timed_passes(pages)
    return {"code": str(Path(extract_page.__code__.co_filename).parents[1]),
            "pages": len(pages),
            "pages_per_second": {k: len(pages) / s for k, s in seconds.items()},
            "ours_against_plain": seconds["plain"] / seconds["ours"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--only-text-pages", action="store_true",
                        help="only the rendered-text and Arabic text-page measures")
    parser.add_argument("--only-speed", action="store_true",
                        help="only the pages per second of both on the WCXB pages")
    parser.add_argument("--only-broken-nesting", action="store_true",
                        help="only WCXB's pages with their </div> tags left out")
    args = parser.parse_args()
    sets = data_sets(args)
    if args.only_speed:
        print(json.dumps(speed(sets.wcxb, args.limit), indent=2))
        return
    if args.only_broken_nesting:
        print(json.dumps(broken_nesting(sets.wcxb, args.limit), indent=2))
        return
    if args.only_text_pages:
        print(json.dumps({"rendered_text": rendered(sets, args.limit),
                          "arabic_text_pages": arabic_text_pages(sets.semeval, args.limit)},
                         indent=2))
        return
    warm_up(sets.wcxb)
    report = {"wcxb": wcxb(sets.wcxb, args.limit),
              "zyte": zyte(sets.zyte, args.limit),
              "rendered_text": rendered(sets, args.limit),
              "arabic_text_pages": arabic_text_pages(sets.semeval, args.limit),
              "broken_nesting": broken_nesting(sets.wcxb, args.limit)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
