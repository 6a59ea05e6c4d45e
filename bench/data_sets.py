"""Where the benchmark data sets are.

By default the dev splits under `../shared/bench`; each set can be named on its own, so
that a held-out split of the same kind (the same layout, another folder or file) is
scored by the same command:

    bench/extraction.py --wcxb /data/wcxb-test-articles --zyte /data/zyte-heldout
    bench/dedupe.py --semeval /data/semeval2022-ar-test.jsonl --uci /data/uci-heldout.jsonl

Layouts: WCXB, a folder of `html/<name>.html[.gz]` with `ground-truth/<name>.json`;
ScrapingHub, a folder of `html/<id>.html[.gz]` with one `ground-truth.json`; SemEval,
JSON lines of article pairs with an `overall` rating; UCI, JSON lines of headlines with
their `cluster`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
PAGE_SUFFIXES = (".html.gz", ".html")


@dataclass(frozen=True)
class DataSets:
    wcxb: Path
    zyte: Path
    semeval: Path
    uci: Path

    @property
    def pages_tag(self) -> str:
        """What names a corpus built from the sets' pages in the benches' cache: nothing
        for the dev splits (the names caches have always had), else a hash of the two
        folders, so that other pages never reuse a corpus built from these."""
        if (self.wcxb.name, self.zyte.name) == ("wcxb-dev-articles", "zyte"):
            return ""
        folders = f"{self.wcxb.resolve()}\n{self.zyte.resolve()}".encode()
        return "-" + hashlib.sha1(folders).hexdigest()[:10]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shared", default=str(SHARED),
                        help="the shared/ folder, whose bench/ holds the dev sets")
    parser.add_argument("--wcxb", type=Path, help="a WCXB split (default: the dev articles)")
    parser.add_argument("--zyte", type=Path, help="a ScrapingHub split")
    parser.add_argument("--semeval", type=Path, help="SemEval-2022 pairs, JSON lines")
    parser.add_argument("--uci", type=Path, help="UCI headlines with stories, JSON lines")


def data_sets(args: argparse.Namespace) -> DataSets:
    bench = Path(args.shared) / "bench"
    return DataSets(
        wcxb=args.wcxb or bench / "extraction" / "wcxb-dev-articles",
        zyte=args.zyte or bench / "extraction" / "zyte",
        semeval=args.semeval or bench / "events" / "semeval2022-ar-dev.jsonl",
        uci=args.uci or bench / "events" / "uci-news-headlines-subset.jsonl",
    )


def page_files(folder: Path) -> list[Path]:
    """A set's pages, gzipped or not, in name order."""
    return sorted(p for p in (folder / "html").iterdir() if p.name.endswith(PAGE_SUFFIXES))


def page_name(path: Path) -> str:
    """The page's name without its suffixes: what its ground truth is filed under."""
    return next(path.name.removesuffix(s) for s in PAGE_SUFFIXES if path.name.endswith(s))


def page_of(folder: Path, name: str) -> Path:
    """The page file of this name, gzipped or not."""
    for suffix in PAGE_SUFFIXES:
        if (path := folder / "html" / f"{name}{suffix}").exists():
            return path
    raise FileNotFoundError(folder / "html" / f"{name}.html")


def read_page(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def gold_word_counts(wcxb: Path) -> Counter:
    """The words of a WCXB split's gold texts, counted: the vocabulary of the benches'
    generated pages and articles."""
    counts: Counter = Counter()
    for f in sorted((wcxb / "ground-truth").glob("*.json")):
        counts.update(json.loads(f.read_text())["ground_truth"].get("main_content", "").split())
    return counts
