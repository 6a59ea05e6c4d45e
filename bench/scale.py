"""A warehouse of a million articles: adding 1,000 pages, and the queries users run.

    .venv/bin/python bench/scale.py [--articles 1000000] [--shared ../shared]

1. Builds (once; cached under the system temp folder) a warehouse of N synthetic
   articles through the real write path (`warehouse.writes.write_batch`): texts of
   60-120 words drawn from the WCXB gold texts' vocabulary at its real frequencies,
   with story words shared by events of about four articles, one article in ten a
   copy of the one before, first seen over the 365 days before today and published
   on the days the 1,000 new pages below were published (each event of four within
   a week of one such day), so that every new page meets the densest part of the
   warehouse inside its event window, not an empty stretch of time. Signatures and
   band keys are dedupe's own (over word shingles, and over each article's story words
   and rarest words standing for its salient terms). The rows per second of this bulk
   write are reported.
2. The same `newsdedup run` adds the same 1,000 real pages (WCXB and ScrapingHub
   originals, some republished) to an empty warehouse and to a copy of the big one;
   wall time, the flow's time, time per stage, candidates scored, and peak memory of
   each; the ratio big / empty.
3. The queries users run most, on the big warehouse (median of 5, read-only
   connection): the last day's events with their articles, and every copy of a URL.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from data_sets import DataSets, add_arguments, data_sets, gold_word_counts  # noqa: E402
from pipeline import CACHE, MemorySampler, build_corpus, corpus_files  # noqa: E402

from dedupe import DedupeSettings, Fingerprint, Grouping  # noqa: E402
from dedupe.lsh import band_keys  # noqa: E402
from dedupe.minhash import shingle_hashes, signature, signature_of_hashes  # noqa: E402
from dedupe.records import day_number  # noqa: E402
from extract import Article, Extraction, RawPage  # noqa: E402
from extract.page import article_id_for, extract_page  # noqa: E402
from warehouse import BatchWrite, connect, reads, writes  # noqa: E402  # noqa: E402

CHUNK = 10_000
NOW = datetime.now(UTC).replace(microsecond=0)
SETTINGS = DedupeSettings()


def vocabulary(wcxb: Path) -> tuple[list[str], list[int], dict[str, int]]:
    """Words, their cumulative weights (for random.choices), and their counts."""
    common = gold_word_counts(wcxb).most_common(60_000)
    return [w for w, _ in common], list(accumulate(n for _, n in common)), dict(common)


def synthetic_texts(
    start: int, count: int, n_total: int, vocab: tuple, days: list[datetime]
) -> list[dict]:
    """Articles start..start+count, the same on every machine."""
    words, cumulative, _ = vocab
    rng = random.Random(start)
    out = []
    for i in range(start, start + count):
        # events of about four articles share 3 to 8 story words
        story_words = [f"story{i // 4}x{k}" for k in range(3 + (i // 4 * 2654435761) % 6)]
        if i % 10 == 9 and out:  # a copy of the article before it, one word changed
            prev = out[-1]
            body = prev["text"].split()
            body[rng.randrange(len(body))] = "republished"
            text, title = " ".join(body), prev["title"]
        else:
            body = rng.choices(words, cum_weights=cumulative, k=rng.randint(60, 120))
            body += story_words * 2
            rng.shuffle(body)
            text = " ".join(body)
            title = " ".join(rng.choices(words, cum_weights=cumulative, k=8))
        seen = NOW - timedelta(days=365 * (n_total - i) / n_total)
        event = i // 4
        published = days[event * 2654435761 % len(days)] + timedelta(
            hours=(event * 40503 + i) % (7 * 24))
        out.append({"i": i, "text": text, "title": title, "seen": seen,
                    "published": published,
                    "url": f"https://site{i % 500}.example/news/{i}"})
    return out


def chunk_rows(args: tuple) -> tuple:
    """Extractions and fingerprints of one chunk (run in worker processes).

    The fingerprints are dedupe's own signatures and band keys, over the article's
    word shingles and over 40 terms standing for its salient ones (its story words and
    rarer vocabulary words): the full analysis of a million texts would take hours
    and the index does not need it."""
    start, count, n_total, vocab, days = args
    extractions, fingerprints = [], []
    for row in synthetic_texts(start, count, n_total, vocab, days):
        page = RawPage(row["url"], "synthetic", row["seen"], row["text"].encode(), "text/plain")
        article = Article(article_id_for(page.page_id), page.page_id, row["url"], row["title"],
                          row["text"], row["published"].replace(tzinfo=None), "en",
                          row["url"].split("/")[2])
        words = row["text"].split()
        shingles = shingle_hashes(words, SETTINGS.copy_shingle_words)
        copy_sig = signature_of_hashes(shingles, SETTINGS.num_perm, SETTINGS.seed)
        story = {w for w in words if w.startswith("story")}
        rare = sorted(set(words) - story, key=lambda w: (vocab[2].get(w, 0), w))
        terms = tuple(sorted(story)) + tuple(rare[: SETTINGS.salient_terms - len(story)])
        event_sig = signature(set(terms), SETTINGS.num_perm, SETTINGS.seed)
        extractions.append(Extraction(page, "utf-8", article))
        fingerprints.append(Fingerprint(
            article.article_id, copy_sig, len(shingles), event_sig, terms,
            band_keys(copy_sig, SETTINGS.copy_bands, SETTINGS.copy_rows),
            band_keys(event_sig, SETTINGS.event_bands, SETTINGS.event_rows),
            day_number(article.published_at)))
    return extractions, fingerprints


def grouping_of(extractions: list[Extraction], start: int) -> Grouping:
    ids = [e.article.article_id for e in extractions]
    near, members = [], []
    for k, aid in enumerate(ids):
        i = start + k
        event = f"synthetic-event-{i // 4}"
        members.append((event, aid))
        if i % 10 == 9 and k:
            near.append((aid, ids[k - 1], 0.98))
    events = {e for e, _ in members}
    return Grouping(near, members, sorted(events), events)


def publication_days(pages: Path) -> list[datetime]:
    """The days the new pages were published (first seen today when undated)."""
    files = sorted(pages.iterdir())
    with ProcessPoolExecutor(2) as pool:
        dated = pool.map(published_at, files, chunksize=20)
        return [(d or NOW).replace(hour=0, minute=0, second=0, tzinfo=None) for d in dated]


def published_at(file: Path) -> datetime | None:
    page = RawPage(file.as_uri(), "new", NOW, gzip.decompress(file.read_bytes())
                   if file.suffix == ".gz" else file.read_bytes(), "text/html")
    article = extract_page(page).article
    return article.published_at if article else None


def build_warehouse(sets: DataSets, n: int, days: list[datetime]) -> tuple[Path, dict]:
    db = CACHE / f"warehouse-{n}-dated{sets.pages_tag}.duckdb"
    meta = db.with_suffix(".json")
    if meta.exists():
        return db, json.loads(meta.read_text())
    db.unlink(missing_ok=True)
    vocab = vocabulary(sets.wcxb)
    rows = written = 0
    started = time.perf_counter()
    with connect(db) as con:
        writes.start_run(con, "synthetic", None, ["synthetic"])
    with ProcessPoolExecutor(2) as pool:
        jobs = [(s, min(CHUNK, n - s), n, vocab, days) for s in range(0, n, CHUNK)]
        for k, (ex, fps) in enumerate(pool.map(chunk_rows, jobs)):
            batch = BatchWrite("synthetic", ex, fps, grouping=grouping_of(ex, k * CHUNK))
            t = time.perf_counter()
            with connect(db) as con:
                before = table_rows(con)
                writes.write_batch(con, batch, SETTINGS.num_perm, SETTINGS.seed)
                rows += table_rows(con) - before
            written += time.perf_counter() - t
            if (k + 1) % 10 == 0:
                print(f"  {min(n, (k + 1) * CHUNK):,} articles", file=sys.stderr, flush=True)
    with connect(db) as con:
        # Document frequencies as a million such articles give them: the vocabulary's
        # counts scaled, and each story's words in its four articles.
        total, df = sum(vocab[1]), Counter()
        for word, count in vocab[2].items():
            df[word] = min(n, round(n * (1 - (1 - count / total) ** 90)))
        df.update({f"story{g}x{j}": 4 for g in range(n // 4) for j in range(8)})
        writes.merge_term_counts(con, df)
    with connect(db) as con:
        writes.finish_run(con, "synthetic", "completed", {"articles": n}, None)
    info = {"articles": n, "build_seconds": round(time.perf_counter() - started, 1),
            "rows_written": rows, "write_seconds": round(written, 1),
            "rows_per_second": round(rows / written), "file_mb": round(db.stat().st_size / 2**20)}
    meta.write_text(json.dumps(info))
    return db, info


def table_rows(con) -> int:
    return sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
               for t in ("pages", "articles", "fingerprints", "copy_bands", "event_bands",
                         "term_df", "near_duplicates", "events", "event_members"))


def new_pages(sets: DataSets, folder: Path, n: int = 1000) -> Path:
    """1,000 real pages: the WCXB and ScrapingHub originals and the first republished
    copies of them."""
    corpus = build_corpus(sets, 6)
    folder.mkdir(parents=True, exist_ok=True)
    for k, f in enumerate(corpus_files(corpus)[:n]):
        shutil.copy(f, folder / f"{k:04d}-{f.parent.name}-{f.name}")
    return folder


def timed_run(folder: Path, db: Path) -> dict:
    command = [sys.executable, "-m", "flows.cli", "run", "--source", str(folder),
               "--db", str(db)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sampler = MemorySampler(process.pid)
    sampler.start()
    output, _ = process.communicate()
    sampler.stop.set()
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"run failed:\n{output}")
    with connect(db, read_only=True) as con:
        flow = con.execute("SELECT epoch(finished_at - started_at) FROM runs "
                           "ORDER BY started_at DESC LIMIT 1").fetchall()[0][0]
    stages = {}
    for line in output.splitlines():
        if "time per stage:" in line:
            for part in line.split(":", 1)[1].split(","):
                name, seconds = part.split()
                stages[name] = float(seconds.rstrip("s"))
    return {"wall_seconds": round(wall, 1), "flow_seconds": round(flow, 1),
            "stage_seconds": stages, "peak_rss_main_mb": round(sampler.peak_main / 2**20),
            "peak_rss_tree_mb": round(sampler.peak_tree / 2**20)}


def query_timings(db: Path) -> dict:
    with connect(db, read_only=True) as con:
        url = con.execute("SELECT a.url FROM near_duplicates d JOIN articles a "
                          "ON a.article_id = d.duplicate_of LIMIT 1").fetchall()[0][0]
        out = {}
        for name, run in (("events_of_last_day", lambda: reads.events_since(con, 1.0)),
                          ("copies_of_url", lambda: reads.copies_of_url(con, url))):
            times, rows = [], None
            for _ in range(5):
                t = time.perf_counter()
                rows = run()
                times.append(time.perf_counter() - t)
            out[name] = {"median_seconds": round(statistics.median(times), 4),
                         "rows": len(rows)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args()
    sets = data_sets(args)
    CACHE.mkdir(parents=True, exist_ok=True)
    pages = CACHE / f"scale-new-pages{sets.pages_tag}"
    if not pages.exists():
        new_pages(sets, pages.with_suffix(".partial")).rename(pages)
    big, built = build_warehouse(sets, args.articles, publication_days(pages))
    with connect(big):
        pass  # a cached warehouse of an older schema is migrated once, not in each timed run
    report = {"warehouse": built, "queries": query_timings(big)}
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        empty = timed_run(pages, Path(tmp) / "empty.duckdb")
        copy = Path(tmp) / "big.duckdb"
        shutil.copy(big, copy)
        full = timed_run(pages, copy)
    report["add_1000_pages"] = {
        "empty": empty, "big": full,
        "ratio_wall": round(full["wall_seconds"] / empty["wall_seconds"], 2),
        "ratio_flow": round(full["flow_seconds"] / empty["flow_seconds"], 2),
        "ratio_link_and_write": round(
            (full["stage_seconds"].get("link", 0) + full["stage_seconds"].get("write", 0))
            / (empty["stage_seconds"].get("link", 0) + empty["stage_seconds"].get("write", 0)),
            2),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
