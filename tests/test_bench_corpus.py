"""The end-to-end bench's republished copies are light edits of their page, never broken
markup: a broken copy is a page no extractor can read, and its failure would be counted
against the pipeline (`bench/pipeline.py`'s `light_edit`)."""

from __future__ import annotations

import importlib.util
import random
import re
from pathlib import Path

TAG = re.compile(r"<[^<>]*>")


def bench_pipeline():
    path = Path(__file__).resolve().parents[1] / "bench" / "pipeline.py"
    spec = importlib.util.spec_from_file_location("bench_pipeline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page(rng: random.Random) -> str:
    """A page whose text runs (a script's and paragraphs') hold words of 4 to 9
    letters: an edited word changes the page's length by -3 to +2 characters."""
    def words(n: int) -> str:
        return " ".join("".join(rng.choice("abcdefghij") for _ in range(rng.randint(4, 9)))
                        for _ in range(n))
    paragraphs = "".join(f"<p class='x'>{words(20)}</p>" for _ in range(8))
    return (f"<html><head><script>var x = 1; {words(15)}</script></head>"
            f"<body class='story'>{paragraphs}</body></html>")


def test_a_republished_copy_keeps_every_tag_of_its_page():
    pipeline = bench_pipeline()
    cuts = 0
    for seed in range(200):
        html = page(random.Random(seed))
        edited = pipeline.light_edit(html, "site1.example", random.Random(seed))
        banners = [b.format(site="site1.example") for b in pipeline.BANNERS]
        banner = next(b for b in banners if b in edited)
        without_banner = edited.replace(banner, "", 1)
        cuts += len(without_banner) < len(html) - 50
        assert TAG.findall(without_banner) == TAG.findall(html), seed
    assert cuts > 20  # the cuts this test is about happened
