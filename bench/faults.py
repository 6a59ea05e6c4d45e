"""Faults: kill points survived, hostile inputs without a crash, pages lost, recovery.

    .venv/bin/python bench/faults.py [--shared ../shared] [--pages 60] [--fuzz 2000]

1. A corpus (the seeds and real WCXB pages) is ingested once cleanly by `newsdedup run`
   (a subprocess reporting to a local Prefect server started here): the reference.
2. For every kill point (each stage of the first, a middle and the last batch, plus
   the close) and a few kills from outside at random moments, a run on a new warehouse
   is killed with SIGKILL, then run again. After each: `integrity_problems` must be
   empty, the warehouse must equal the reference, and no page may be missing.
   Recovery time = the rerun's wall time / the clean run's.
3. Hostile inputs: random bytes, random and broken HTML, bombs, huge lines, wrong
   encodings; each through `extract_page` (an exception escaping is a crash), and all
   of them as one folder through a real run (every page must get its row).
4. Damaged WARC files: the corpus's HTML pages as one WARC, gzipped and not, damaged
   as downloads and disks damage them (bytes slipped into records, version lines
   overwritten, the file cut short): the intact records found and read, and a real
   run over a damaged file beside a folder, which must complete with both.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import RawPage, extract_page  # noqa: E402
from flows.environment import configure_prefect  # noqa: E402
from flows.failpoints import KILL_AT_ENV, STAGES  # noqa: E402
from flows.server import background_server  # noqa: E402
from flows.sources import PageRef  # noqa: E402
from flows.sources import read_page as read_page_ref  # noqa: E402
from flows.warc import warc_index  # noqa: E402
from warehouse import connect  # noqa: E402
from warehouse.reads import content_snapshot, integrity_problems  # noqa: E402

sys.path.append(str(ROOT / "bench"))
from data_sets import add_arguments, data_sets, page_files, page_name, read_page  # noqa: E402

BATCH_SIZE = 10


def build_corpus(wcxb: Path, folder: Path, n_pages: int) -> int:
    folder.mkdir(parents=True)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    for path in page_files(wcxb)[: max(0, n_pages - 5)]:
        (folder / f"{page_name(path)}.html").write_bytes(read_page(path))
    return len(list(folder.iterdir()))


def run_cmd(source: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", "--source", str(source), "--db", str(db),
            "--batch-size", str(BATCH_SIZE)]


def timed_run(source: Path, db: Path, env: dict, kill_at: str | None = None):
    env = dict(env)
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    started = time.perf_counter()
    out = subprocess.run(run_cmd(source, db), env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=1800)
    return out, time.perf_counter() - started


def state(db: Path) -> dict:
    with connect(db, read_only=True) as con:
        return content_snapshot(con)


def killed_then_recovered(source, db, env, reference, kill) -> dict:
    """`kill` is a failpoint name, or a delay in seconds for a kill from outside."""
    if isinstance(kill, str):
        killed, _ = timed_run(source, db, env, kill)
        died = killed.returncode == -signal.SIGKILL
    else:
        proc = subprocess.Popen(run_cmd(source, db), env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(kill)
        died = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    consistent_after_kill = True
    if db.exists():
        with connect(db, read_only=True) as con:
            consistent_after_kill = not integrity_problems(con)
    again, seconds = timed_run(source, db, env)
    with connect(db, read_only=True) as con:
        problems = integrity_problems(con)
    after = state(db)
    lost = len({row[0] for row in reference["pages"]} - {row[0] for row in after["pages"]})
    return {
        "kill": kill, "killed": died, "consistent_after_kill": consistent_after_kill,
        "rerun_ok": again.returncode == 0, "consistent": not problems,
        "equals_clean_run": after == reference, "pages_lost": lost,
        "rerun_seconds": round(seconds, 2),
    }


# ---------------------------------------------------------------- hostile inputs

def hostile_inputs(rng: random.Random, n: int) -> list[tuple[str, bytes, str | None]]:
    words = ["news", "خبر", "روسيا", "<p>", "</div>", "\u202e", "\u200d", "\x00", "&#0;",
             "日本", "<script>", "-->", "<!--", "\ufeff", "كوريا", "\r\n", "<br/>", "\u0651"]
    makers = {
        "random bytes": lambda: rng.randbytes(rng.randint(0, 5000)),
        "random html": lambda: ("<html><body>" + "".join(
            f"<{rng.choice(['div', 'p', 'span', 'a', 'table', 'li'])}>"
            + " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
            for _ in range(rng.randint(0, 200)))).encode("utf-8", "surrogatepass"),
        "deep nesting": lambda: ("<div>" * rng.randint(1000, 30000) + "text").encode(),
        "100k-character line": lambda: (" ".join(rng.choice(words) for _ in range(20000))
                                        ).encode("utf-8", "surrogatepass"),
        "gzip bomb": lambda: gzip.compress(b"\0" * 50_000_000),
        "truncated gzip": lambda: gzip.compress(("<p>" + "word " * 5000).encode())[:200],
        "wrong encoding": lambda: ("<meta charset='utf-8'><p>" + "خبر عاجل " * 200
                                   ).encode("cp1256"),
        "utf-16 without bom": lambda: ("خبر " * 300).encode("utf-16-le"),
        "empty": lambda: b"",
        "control characters": lambda: bytes(range(32)) * rng.randint(1, 3000),
        "20,000 short lines": lambda: ("Subscribe to our newsletter!\n" * 20000).encode(),
        "nested embeds": lambda: ('<div class="w-embed">' * 3000 + "<p>" + "word " * 20000
                                  + "</p>" + "</div>" * 3000).encode(),
        "after the page's end": lambda: ("<html><body><p>start</p></body></html>"
                                         + "</html><p>more text</p>" * 20000).encode(),
    }
    names = list(makers)
    return [(name, makers[name](), rng.choice([None, "text/html", "text/plain"]))
            for name in (names[i % len(names)] for i in range(n))]


def fuzz_extractor(inputs) -> dict:
    crashes, slowest = [], 0.0
    now = datetime.now(UTC)
    for i, (name, body, content_type) in enumerate(inputs):
        started = time.perf_counter()
        try:
            extract_page(RawPage(f"https://fuzz.example/{i}", "fuzz", now, body, content_type))
        except Exception as exc:  # a crash: extract_page promises never to raise
            crashes.append((name, repr(exc)[:200]))
        slowest = max(slowest, time.perf_counter() - started)
    return {"inputs": len(inputs), "crashes": len(crashes), "examples": crashes[:5],
            "slowest_page_seconds": round(slowest, 2)}


def fuzz_run(inputs, folder: Path, db: Path, env: dict) -> dict:
    folder.mkdir(parents=True)
    for i, (_, body, content_type) in enumerate(inputs):
        suffix = ".html" if content_type == "text/html" else ".txt"
        (folder / f"hostile-{i:05d}{suffix}").write_bytes(body)
    out, seconds = timed_run(folder, db, env)
    with connect(db, read_only=True) as con:
        recorded = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
        problems = integrity_problems(con)
    return {"pages": len(inputs), "run_ok": out.returncode == 0, "pages_recorded": recorded,
            "pages_lost": len(inputs) - recorded, "consistent": not problems,
            "seconds": round(seconds, 1)}


def write_warc(pages: list[Path], path: Path, gzipped: bool) -> list[int]:
    """The pages as WARC response records; their offsets."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    offsets = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        for page in pages:
            offsets.append(out.tell())
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://warc.example/{page.name}", "response",
                payload=io.BytesIO(page.read_bytes()), http_headers=headers))
    return offsets


def damaged_warcs(corpus: Path, folder: Path, rng: random.Random, env: dict) -> dict:
    folder.mkdir(parents=True)
    pages = sorted(corpus.glob("*.html"))
    cases = {}
    for gzipped in (True, False):
        clean = folder / ("clean.warc.gz" if gzipped else "clean.warc")
        offsets = write_warc(pages, clean, gzipped)
        data = clean.read_bytes()
        hit = sorted(rng.sample(range(1, len(pages) - 1), 3))
        broken = bytearray(data)
        for i in reversed(hit):  # from the end, so that the offsets before stay right
            at = offsets[i]
            if gzipped:
                broken[at + 12 : at + 12] = bytes(rng.randrange(256) for _ in range(400))
            else:
                broken[at : at + 8] = b"WARX/1.0"
        kind = "gzip" if gzipped else "plain"
        cases[f"{kind}: 3 records damaged"] = (bytes(broken), len(pages) - 3)
        cut = int(len(data) * 0.7)
        cases[f"{kind}: cut at 70 %"] = (data[:cut], sum(o < cut for o in offsets[1:]))
    # warcio reads an uncompressed record to its Content-Length and only warns where no
    # blank line follows: a length too long swallowed the records after it unreported,
    # while a length a byte short (some versions of wget) must cost nothing
    data = clean.read_bytes()
    lengths = list(re.finditer(rb"WARC-Type: response\r\n(?:.+\r\n)*?Content-Length: (\d+)",
                               data))
    # one record's length running into the last line of the second record after it:
    # warcio skips that line's end and reads on at the third
    i = len(lengths) // 2
    long = lengths[i]
    end = data.index(b"\r\n\r\n", long.end()) + 4 + int(long[1])  # where it says it ends
    third = data.rindex(b"WARC/1.0\r\n", 0, lengths[i + 3].start())
    into = third - len(b"\r\n\r\n") - 3 - end
    cases["plain: a Content-Length running over the next two records"] = (
        data[: long.start(1)] + str(int(long[1]) + into).encode() + data[long.end(1) :],
        len(pages) - 1)
    cases["plain: every Content-Length a byte short"] = (re.sub(
        rb"(WARC-Type: response\r\n(?:.+\r\n)*?Content-Length: )(\d+)",
        lambda m: m[1] + str(int(m[2]) - 1).encode(), data), len(pages))
    out = {}
    for name, (body, intact) in cases.items():
        path = folder / (name.replace(" ", "_").replace(":", "").replace("%", "pc")
                         + (".warc.gz" if name.startswith("gzip") else ".warc"))
        path.write_bytes(body)
        index = warc_index(path)
        read = sum(page.read_error is None and bool(page.body) for page in (
            read_page_ref(PageRef(f"{path}#{offset}", "warc", kind="warc"))
            for offset, _ in index.pages))
        out[name] = {"records": len(pages), "intact": intact, "indexed": len(index.pages),
                     "read": read, "damage_reported": len(index.damaged)}
    # and a real run: the first damaged file beside a folder of the seeds
    seeds = folder / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    damaged = next(folder.glob("gzip_3_records_damaged*"))
    db = folder / "run.duckdb"
    run = subprocess.run(
        [*run_cmd(damaged, db), "--source", str(seeds)], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=1800)
    with connect(db, read_only=True) as con:
        recorded = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
    out["run"] = {"run_ok": run.returncode == 0, "pages_recorded": recorded,
                  "expected": out["gzip: 3 records damaged"]["indexed"] + 5}
    return out


def worker_crash(corpus: Path, folder: Path, env: dict) -> dict:
    """A run whose worker process dies on one page (SIGKILL at the page, as a segfault
    in a parser or the OOM killer would): the other pages' articles, that page's error."""
    shutil.copytree(corpus, folder)
    poison = sorted(folder.glob("*.html"))[len(list(folder.glob("*.html"))) // 2]
    db = folder.parent / "worker-crash.duckdb"
    started = time.perf_counter()
    clean = subprocess.run([*run_cmd(folder, folder.parent / "no-crash.duckdb"), "--batch-size",
                            "200"], env=env, cwd=ROOT, capture_output=True, timeout=1800)
    clean_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # batches of 200, as a run's: a batch under 40 pages is extracted in the flow's own
    # process, where nothing can outlive such a crash
    run = subprocess.run([*run_cmd(folder, db), "--batch-size", "200"],
                         env={**env, KILL_AT_ENV: f"page:{poison.name}"},
                         cwd=ROOT, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    out = {"run_ok": run.returncode == 0, "seconds": round(seconds, 1),
           "clean_run_ok": clean.returncode == 0, "clean_seconds": round(clean_seconds, 1)}
    if run.returncode:
        out["stderr"] = run.stderr[-500:]
    if run.returncode == 0:
        with connect(db, read_only=True) as con:
            out["pages"] = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
            out["crashed"] = con.execute(
                "SELECT count(*) FROM pages WHERE error LIKE '%crashed its worker%'"
            ).fetchall()[0][0]
            out["articles"] = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--fuzz", type=int, default=2000)
    parser.add_argument("--outside-kills", type=int, default=3)
    parser.add_argument("--out", default="bench/results/faults.json")
    parser.add_argument("--only", choices=["damaged-warcs", "worker-crash"],
                        help="only that part (the kill points and hostile inputs take minutes)")
    args = parser.parse_args()
    rng = random.Random(11)
    configure_prefect()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp, \
            background_server("127.0.0.1", free_port(), str(Path(tmp, "server.log"))) as api:
        tmp = Path(tmp)
        env = {**os.environ, "PREFECT_API_URL": api}
        env.pop(KILL_AT_ENV, None)
        corpus = tmp / "corpus"
        n = build_corpus(data_sets(args).wcxb, corpus, args.pages)
        batches = -(-n // BATCH_SIZE)
        if args.only == "damaged-warcs":
            results["damaged_warcs"] = damaged_warcs(corpus, tmp / "warcs", rng, env)
            print("damaged_warcs", json.dumps(results["damaged_warcs"]), flush=True)
            return
        if args.only == "worker-crash":
            results["worker_crash"] = worker_crash(corpus, tmp / "crash", env)
            print("worker_crash", json.dumps(results["worker_crash"]), flush=True)
            return
        clean, clean_seconds = timed_run(corpus, tmp / "clean.duckdb", env)
        assert clean.returncode == 0, clean.stderr[-3000:]
        reference = state(tmp / "clean.duckdb")
        print(f"clean run: {n} pages, {batches} batches, {clean_seconds:.1f}s", flush=True)

        kills: list = [f"{stage}:{b}" for b in sorted({1, (batches + 1) // 2, batches})
                       for stage in STAGES if stage != "close"] + ["close:1"]
        kills += [round(rng.uniform(0.3, 0.9) * clean_seconds, 2)
                  for _ in range(args.outside_kills)]
        trials = []
        for i, kill in enumerate(kills):
            trial = killed_then_recovered(corpus, tmp / f"k{i}.duckdb", env, reference, kill)
            trials.append(trial)
            print(json.dumps(trial), flush=True)
        survived = [t for t in trials if t["rerun_ok"] and t["consistent"]
                    and t["consistent_after_kill"] and t["equals_clean_run"]]
        results["kills"] = {
            "clean_run_seconds": round(clean_seconds, 2), "pages": n, "batches": batches,
            "kill_points_tried": len(trials), "survived": len(survived),
            "pages_lost": sum(t["pages_lost"] for t in trials),
            "recovery_time_ratio_mean": round(
                statistics.mean(t["rerun_seconds"] for t in trials) / clean_seconds, 2),
            "recovery_time_ratio_max": round(
                max(t["rerun_seconds"] for t in trials) / clean_seconds, 2),
            "trials": trials,
        }
        inputs = hostile_inputs(rng, args.fuzz)
        results["fuzz_extractor"] = fuzz_extractor(inputs)
        print("fuzz_extractor", json.dumps(results["fuzz_extractor"]), flush=True)
        results["fuzz_run"] = fuzz_run(inputs[:300], tmp / "hostile", tmp / "hostile.duckdb",
                                       env)
        print("fuzz_run", json.dumps(results["fuzz_run"]), flush=True)
        results["damaged_warcs"] = damaged_warcs(corpus, tmp / "warcs", rng, env)
        print("damaged_warcs", json.dumps(results["damaged_warcs"]), flush=True)
        results["worker_crash"] = worker_crash(corpus, tmp / "crash", env)
        print("worker_crash", json.dumps(results["worker_crash"]), flush=True)
    summary = {k: v for k, v in results["kills"].items() if k != "trials"}
    print("kills", json.dumps(summary), flush=True)
    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
