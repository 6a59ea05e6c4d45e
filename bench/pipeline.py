"""End to end: `newsdedup run` beside plain trafilatura on the same pages and cores.

    .venv/bin/python bench/pipeline.py [--shared ../shared] [--copies 6] [--processes N]
                                       [--profile] [--small-pages 100000]
                                       [--extraction-only]
                                       [--wcxb DIR] [--zyte DIR]  # other pages

Corpus: every WCXB and ScrapingHub page, each written `--copies` times under other
sites' URLs with light edits (another site's banner, one word changed, a paragraph
dropped), as .html.gz files: 974 x 6 = 5,844 pages by default. Two timings, in this
script, on the same files with the same number of processes:

- plain: `trafilatura.extract` as trafilatura ships it (`plain_trafilatura`) over the
  files in a pool of N worker processes (read, gunzip, decode, extract), results
  discarded; its wall time and its workers' CPU seconds;
- ours: `newsdedup run --source CORPUS` as a subprocess into a new warehouse (read,
  extract in N worker processes, link copies and events, write to DuckDB, Prefect
  ephemeral API), with the memory of its process tree sampled every 0.2 s.

Reported: pages per second of both and their ratio (the command's wall time, and the
flow's own time from the `runs` table, which leaves out Python and Prefect start-up),
peak memory, rows written to DuckDB per second of the write stage, time per stage,
and how well the events match the corpus's stories (a page and its republished
copies are one story; the originals are different web pages, so two of them in one
event is, but for the odd pair on one subject, a false merge): stories split over
several events, events holding several stories, pair precision and recall.
`--extraction-only` also times the run's extraction pool alone over the same files
(reading, extraction and the analysis for dedup in the run's worker processes; no
linking, writing or Prefect): the ceiling of the end-to-end ratio on these cores.
`--profile` runs ours under py-spy (all processes) and prints where the samples fall.
`--small-pages N` instead streams N short generated pages through a run (the memory
figure: nothing may hold the whole corpus; short pages keep a 100,000-page run within
minutes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from itertools import accumulate
from pathlib import Path

import psutil
import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

from data_sets import (  # noqa: E402
    DataSets,
    add_arguments,
    data_sets,
    gold_word_counts,
    page_files,
    read_page,
)

from extract.html import plain_trafilatura  # noqa: E402
from warehouse import connect  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "newsdedup-bench"
TABLES = ["pages", "articles", "fingerprints", "copy_bands", "event_bands", "term_df", "links",
          "near_duplicates", "events", "event_members"]
BANNERS = [
    '<div class="top-banner"><a href="/subscribe">Subscribe to {site} today</a>'
    '<a href="/newsletters">Newsletters</a></div>',
    '<aside class="promo"><h3>Most read on {site}</h3><ul><li><a href="/a">Markets rally'
    '</a></li><li><a href="/b">Weather warning</a></li></ul></aside>',
    '<nav class="site-nav"><a href="/">{site} home</a> <a href="/world">World</a> '
    '<a href="/opinion">Opinion</a></nav>',
]
# v2: a republisher's cut falls on a run of text, not on the tags beside it (session 41)
CORPUS_VERSION = 2
TEXT_RUN = re.compile(r">([^<>]{80,})<")
WORD = re.compile(r"\b\w{4,}\b")


def originals(sets: DataSets) -> list[bytes]:
    return [read_page(f) for f in page_files(sets.wcxb) + page_files(sets.zyte)]


def light_edit(html: str, site: str, rng: random.Random) -> str:
    """Another site's copy: its banner after <body>, one word changed, sometimes one
    long text run dropped (a paragraph the republisher cut)."""
    banner = rng.choice(BANNERS).format(site=site)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, html, count=1, flags=re.I)
    runs = list(TEXT_RUN.finditer(html))
    if runs:
        run = rng.choice(runs)
        words = list(WORD.finditer(run.group(1)))
        if words:
            w = rng.choice(words)
            start = run.start(1) + w.start()
            html = html[:start] + "edited" + html[start + len(w.group(0)):]
            # found again: cut at the old places, a run after the edited word lost its
            # last letters and the "</" after it (a page whose </script> went so was
            # all script, its article gone)
            runs = list(TEXT_RUN.finditer(html))
    if len(runs) > 4 and rng.random() < 0.3:
        run = rng.choice(runs[1:-1])
        html = html[: run.start(1)] + html[run.end(1):]
    return html


def build_corpus(sets: DataSets, copies: int) -> Path:
    folder = CACHE / f"pipeline-v{CORPUS_VERSION}-x{copies}{sets.pages_tag}"
    done = folder / ".complete"
    if done.exists():
        return folder
    rng = random.Random(7)
    pages = originals(sets)
    for k in range(copies):
        site = f"site{k}.example"
        (folder / site).mkdir(parents=True, exist_ok=True)
        for i, raw in enumerate(pages):
            html = raw.decode("utf-8", "replace")
            if k:
                html = light_edit(html, site, rng)
            (folder / site / f"{i:04d}.html.gz").write_bytes(
                gzip.compress(html.encode("utf-8"), compresslevel=1))
    done.write_text("ok")
    return folder


def build_small_corpus(sets: DataSets, n_pages: int) -> Path:
    """N short pages in a plain template, written in subfolders of 1,000: words drawn
    from the WCXB gold texts' vocabulary at its frequencies, with story words shared by
    groups of about four pages (a stream of mostly unrelated news)."""
    folder = CACHE / f"small-v2-{n_pages}{sets.pages_tag}"
    done = folder / ".complete"
    if done.exists():
        return folder
    counts = gold_word_counts(sets.wcxb)
    words = [w for w, _ in counts.most_common(60_000)]
    cumulative = list(accumulate(n for _, n in counts.most_common(60_000)))
    rng = random.Random(11)
    for i in range(n_pages):
        body = rng.choices(words, cum_weights=cumulative, k=rng.randint(120, 400))
        body += [f"story{i // 4}x{k}" for k in range(6)] * 2
        rng.shuffle(body)
        paragraphs = "".join(f"<p>{' '.join(body[j:j + 60])}</p>" for j in range(0, len(body), 60))
        html = (f"<html><head><title>Story {i}</title></head><body>"
                f"{BANNERS[i % 3].format(site=f's{i % 50}')}<article><h1>Story {i}</h1>"
                f"{paragraphs}</article><footer>© s{i % 50}</footer></body></html>")
        sub = folder / f"{i // 1000:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}.html").write_text(html)
    done.write_text("ok")
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name.endswith((".html", ".html.gz")))


def plain_extract(path: Path) -> int:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    # the pool's workers are forks of this process, which imported `extract` (through
    # `warehouse`), and that replaced two of trafilatura's functions
    with plain_trafilatura():
        return len(trafilatura.extract(raw.decode("utf-8", "replace")) or "")


def time_plain(files: list[Path], processes: int) -> tuple[float, float]:
    """Wall seconds, and the CPU seconds of the pool's workers (children's rusage,
    read once the pool has joined them)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        for _ in pool.map(plain_extract, files, chunksize=16):
            pass
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def descendants_cpu() -> float:
    """CPU seconds of this process's living descendants (a forkserver and its workers,
    whose rusage reaches no parent until they exit)."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def time_extraction_only(folder: Path, processes: int, batch_size: int) -> dict:
    """The run's extraction alone: its pages read batch by batch as the run reads them,
    extracted and analysed in its pool of worker processes (`extract_and_analyse_away`,
    two batches in flight as in the run), with no linking, writing or Prefect. What the
    end-to-end figure would be if all but extraction cost nothing."""
    from dedupe.settings import DedupeSettings
    from flows.runners import process_map
    from flows.sources import discover, read_pages
    from flows.work import extract_and_analyse_away, start_worker

    away = partial(extract_and_analyse_away, templates=None,
                   shingle_words=DedupeSettings().copy_shingle_words)
    refs = discover(str(folder))

    def batch(start: int) -> int:
        work = process_map(away, read_pages(refs[start:start + batch_size]), processes,
                           initializer=start_worker)
        return sum(w.analysed is not None for w in work)

    cpu, started = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(2) as threads:
        articles = sum(threads.map(batch, range(0, len(refs), batch_size)))
    wall = time.perf_counter() - started
    return {"pages_per_second": len(refs) / wall, "articles": articles,
            "cpu_seconds": {"workers": round(descendants_cpu(), 1),
                            "this_process": round(time.process_time() - cpu, 1)}}


class MemorySampler(threading.Thread):
    """Peak memory of a process and of its whole tree (workers included), every 0.2 s.

    RSS summed over the tree counts twice the pages that forkserver children share
    with each other; PSS (each shared page split among its sharers) is what the tree
    really holds, so both are kept, and the peak per role (flow process, extraction
    workers, others such as the Prefect server) says where the memory is."""

    def __init__(self, pid: int, timeline: Path | None = None, profiler: int | None = None):
        """`profiler`: py-spy's pid, when it runs the flow process `pid`; its own CPU is
        counted apart and its memory left out, as no part of the run."""
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.profiler = psutil.Process(profiler) if profiler else None
        self.peak_main = self.peak_tree = self.peak_tree_pss = 0
        self.peak_role: Counter = Counter()
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (role, CPU seconds so far)
        self.timeline = timeline
        self.stop = threading.Event()

    @staticmethod
    def role(process: psutil.Process) -> str:
        if "forkserver" in " ".join(process.parent().cmdline()):
            return "extraction workers"  # forked by the forkserver
        return "other (Prefect server, forkserver, ...)"

    def run(self) -> None:
        last_line = 0.0
        while not self.stop.is_set():
            try:
                main_info = self.process.memory_full_info()
                rss = {"flow process": main_info.rss}
                pss = main_info.pss
                self.note_cpu(self.process, "flow process")
                if self.profiler is not None:
                    self.note_cpu(self.profiler, "profiler (py-spy)")
                for child in self.process.children(True):
                    info = child.memory_full_info()
                    role = self.role(child)
                    rss[role] = rss.get(role, 0) + info.rss
                    pss += info.pss
                    self.note_cpu(child, role)
            except psutil.Error:
                break
            tree = sum(rss.values())
            self.peak_main = max(self.peak_main, rss["flow process"])
            self.peak_tree = max(self.peak_tree, tree)
            self.peak_tree_pss = max(self.peak_tree_pss, pss)
            for role, value in rss.items():
                self.peak_role[role] = max(self.peak_role[role], value)
            if self.timeline and time.monotonic() - last_line > 10:
                last_line = time.monotonic()
                with self.timeline.open("a") as out:
                    out.write(json.dumps({"t": round(last_line), "tree_pss_mb": pss >> 20,
                                          **{k: v >> 20 for k, v in rss.items()}}) + "\n")
            time.sleep(0.2)

    def note_cpu(self, process: psutil.Process, role: str) -> None:
        times = process.cpu_times()
        self.cpu[process.pid] = (role, times.user + times.system)

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds per role, as last sampled (up to 0.2 s short per process)."""
        total: Counter = Counter()
        for role, seconds in self.cpu.values():
            total[role] += seconds
        return {role: round(seconds, 1) for role, seconds in total.items()}


def flow_process_under(profiler: int, wait_seconds: float = 30) -> int:
    """The pid of the command py-spy (`profiler`) started, once it has."""
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        children = psutil.Process(profiler).children()
        if children:
            return children[0].pid
        time.sleep(0.05)
    raise SystemExit("py-spy started no flow process")


def run_ours(folder: Path, db: Path, batch_size: int, profile: Path | None) -> dict:
    command = [sys.executable, "-m", "flows.cli", "run", "--source", str(folder),
               "--db", str(db), "--batch-size", str(batch_size)]
    if profile:
        command = [str(Path(sys.executable).with_name("py-spy")), "record", "--subprocesses",
                   "--format", "raw", "--rate", "40", "--output", str(profile), "--"] + command
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    timeline = CACHE / "memory-timeline.jsonl"  # a line every 10 s, to see what grows
    timeline.unlink(missing_ok=True)
    if profile:
        # py-spy's child is the flow process: sampled as py-spy, the flow's memory and
        # CPU were counted as the Prefect server's ("other")
        sampler = MemorySampler(flow_process_under(process.pid), timeline, process.pid)
    else:
        sampler = MemorySampler(process.pid, timeline)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop.set()
    if process.returncode:
        raise SystemExit(f"newsdedup run failed ({process.returncode}):\n{output}")
    with connect(str(db), read_only=True) as con:
        flow_seconds, pages = con.execute(
            "SELECT epoch(finished_at - started_at), pages_read FROM runs").fetchall()[-1]
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
        members = con.execute(
            "SELECT a.url, m.event_id FROM articles a JOIN event_members m USING (article_id)"
        ).fetchall()
    stages = dict(re.findall(r"(\w+) ([\d.]+)s", output.split("time per stage:")[-1]))
    return {"wall_seconds": wall, "flow_seconds": flow_seconds, "pages": pages,
            "peak_rss_main_mb": sampler.peak_main / 2**20,
            "peak_rss_tree_mb": sampler.peak_tree / 2**20,
            "peak_pss_tree_mb": sampler.peak_tree_pss / 2**20,
            "peak_rss_by_role_mb": {k: v / 2**20 for k, v in sampler.peak_role.items()},
            "cpu_seconds_by_role": sampler.cpu_by_role(),
            "rows": rows, "stage_seconds": {k: float(v) for k, v in stages.items()},
            "events_against_stories": events_against_stories(members),
            "summary": output.strip().splitlines()}


def events_against_stories(members: list[tuple[str, str]]) -> dict:
    """The events next to the stories the corpus was made of: a page's story is its
    file name (the original and its copies on other sites share it)."""
    def pairs(n: int) -> int:
        return n * (n - 1) // 2
    cells = Counter((event, url.rsplit("/", 1)[-1]) for url, event in members)
    events = Counter(event for event, _ in cells.elements())
    stories = Counter(story for _, story in cells.elements())
    same_both = sum(pairs(n) for n in cells.values())
    same_event, same_story = sum(map(pairs, events.values())), sum(map(pairs, stories.values()))
    stories_per_event = Counter(event for event, _ in cells)
    events_per_story = Counter(story for _, story in cells)
    return {
        "events": len(events), "stories": len(stories),
        "events_with_several_stories": sum(n > 1 for n in stories_per_event.values()),
        "stories_split": sum(n > 1 for n in events_per_story.values()),
        "pair_precision": same_both / same_event if same_event else 1.0,
        "pair_recall": same_both / same_story if same_story else 1.0,
    }


AREAS = [("extraction", ("trafilatura", "htmldate", "justext", "lxml", "/extract/",
                         "py3langid", "charset_normalizer", "dateparser", "courlan")),
         ("dedupe", ("/dedupe/", "numpy", "xxhash", "datasketch")),
         ("warehouse", ("/warehouse/", "duckdb", "pyarrow")),
         ("reading", ("/flows/sources", "/flows/fetch", "gzip", "zlib")),
         ("pickling / process pool", ("pickle", "multiprocessing", "concurrent/futures")),
         ("prefect / start-up", ("prefect", "uvicorn", "sqlalchemy", "anyio", "asyncio",
                                 "importlib", "<frozen"))]


def area_of(frames: list[str]) -> str:
    """The area of the innermost frame that belongs to one. py-spy names the project's
    files relative to it ("f (dedupe/terms.py:9)"): a slash is put before the path so
    that "/dedupe/" finds them as it finds a library's absolute path."""
    for frame in reversed(frames):
        frame = frame.replace(" (", " (/", 1)
        for area, needles in AREAS:
            if any(needle in frame for needle in needles):
                return area
    return "other"


def profile_report(raw: Path, top: int = 20) -> dict:
    """py-spy's collapsed stacks: the share of samples per area (by the innermost
    project or library frame) and the functions with the most own samples."""
    areas: Counter = Counter()
    own: Counter = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        n = int(count)
        own[frames[-1]] += n
        areas[area_of(frames)] += n
    total = sum(areas.values()) or 1
    return {"samples": total,
            "share_by_area": {a: round(n / total, 3) for a, n in areas.most_common()},
            "top_own": [(f, round(n / total, 4)) for f, n in own.most_common(top)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--small-pages", type=int, default=0)
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--extraction-only", action="store_true",
                        help="also time the run's extraction pool alone (no linking, "
                             "writing or Prefect) against plain")
    parser.add_argument("--keep-warehouse", type=Path, default=None,
                        help="copy the run's warehouse here, to query it afterwards")
    args = parser.parse_args()
    sets = data_sets(args)
    folder = (build_small_corpus(sets, args.small_pages) if args.small_pages
              else build_corpus(sets, args.copies))
    files = corpus_files(folder)
    report: dict = {"corpus": str(folder), "pages": len(files), "processes": args.processes}
    if not args.skip_plain:
        plain_seconds, plain_cpu = time_plain(files, args.processes)
        report["plain_pages_per_second"] = len(files) / plain_seconds
        report["plain_cpu_seconds"] = round(plain_cpu, 1)
    if args.extraction_only:
        alone = time_extraction_only(folder, args.processes, args.batch_size)
        if "plain_pages_per_second" in report:
            alone["ratio_to_plain"] = (alone["pages_per_second"]
                                       / report["plain_pages_per_second"])
        report["extraction_only"] = alone
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        profile = Path(tmp) / "profile.txt" if args.profile else None
        ours = run_ours(folder, Path(tmp) / "bench.duckdb", args.batch_size, profile)
        if args.keep_warehouse:
            shutil.copyfile(Path(tmp) / "bench.duckdb", args.keep_warehouse)
        if profile:
            report["profile"] = profile_report(profile)
            profile.replace(CACHE / "profile-last.txt")  # for a closer look
    report["ours"] = ours
    report["ours_pages_per_second"] = {"wall": len(files) / ours["wall_seconds"],
                                       "flow": len(files) / ours["flow_seconds"]}
    if "plain_pages_per_second" in report:
        report["ratio_to_plain"] = {k: v / report["plain_pages_per_second"]
                                    for k, v in report["ours_pages_per_second"].items()}
    write = ours["stage_seconds"].get("write")
    if write:
        report["rows_written_per_second"] = sum(ours["rows"].values()) / write
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
