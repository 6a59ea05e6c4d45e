"""`newsdedup`: argument parsing only; the work is in the flow and the warehouse."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from flows.environment import UI_HOST, UI_PORT, configure_prefect, use_running_ui

# Prefect reads its settings once, when it is first imported, and every command imports
# it (checking the task runner does, before a run is prepared): set them before that.
# Set later, the 120 s startup allowance never applied, and a fresh clone's first
# `make run` failed when the ephemeral API took over Prefect's default 20 s to start.
configure_prefect()

DEFAULT_DB = "warehouse/news.duckdb"
DEFAULT_SOURCES = ["seeds"]
DEFAULT_LOCK_WAIT = 120.0
# A query during a run waits for the batch in hand to be written (`give_way`).
READ_WAIT_SECONDS = 60.0
DEFAULT_CONFIG = "sources.toml"


def _count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a whole number, 1 or more, not {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"seconds must be 0 or more: {value}")
    return seconds


def _days(value: str) -> float:
    """A number of days back from now: more than 0 and within the calendar."""
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 0 < days <= 365_000:
        raise argparse.ArgumentTypeError(f"days must be over 0 and at most 365000: {value}")
    return days


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config", metavar="TOML",
        help="sources, warehouse, fetching and schedules (default: ./sources.toml when "
             "present, else seeds/ into warehouse/news.duckdb)",
    )
    p.add_argument(
        "--source", action="append", metavar="PATH_OR_URL",
        help="instead of the config's sources: a folder (read recursively: .html .htm .txt, "
             "also .gz), a file, a NAME.urls list, a .warc(.gz), a glob or an http(s) URL; "
             "repeat for several",
    )
    p.add_argument("--db", help=f"DuckDB warehouse file (default: the config's, or {DEFAULT_DB})")
    p.add_argument("--batch-size", type=_count, help="pages per task (default: 200)")
    p.add_argument(
        "--task-runner", metavar="RUNNER",
        help="where extraction runs: processes (default: one worker per core), threads, "
             "dask://HOST:PORT or ray://HOST:PORT (an existing cluster)",
    )
    _add_lock_wait(p)


def _add_lock_wait(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lock-wait", type=_seconds,
        help="seconds to wait for another run or a reader holding the warehouse, retrying "
             f"with backoff, before the run fails (default: $NEWSDEDUP_LOCK_WAIT, the "
             f"config's, or {DEFAULT_LOCK_WAIT:.0f})",
    )


def _lock_wait(args: argparse.Namespace, config_value: float = DEFAULT_LOCK_WAIT) -> float:
    if args.lock_wait is not None:
        return args.lock_wait
    if env := os.environ.get("NEWSDEDUP_LOCK_WAIT"):
        return float(env)
    return config_value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdedup",
        description="Ingest news pages, extract articles, group copies and events in DuckDB.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="one run of the ingest flow", description=(
        "Read the sources, extract articles, link copies and events, and store everything "
        "in the warehouse. Exit 0 when the run completed, even if some pages failed."))
    _add_run_options(run)

    serve = sub.add_parser("serve", help="serve the flow on a schedule", description=(
        "Serve a Prefect deployment of the ingest flow on a schedule. Runs show in "
        "`newsdedup ui`. Stop with Ctrl-C."))
    _add_run_options(serve)
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default=None, help='cron schedule (default: "0 * * * *")')
    when.add_argument("--interval", type=float, default=None, help="schedule every N seconds")
    serve.add_argument("--name", default="newsdedup-ingest", help="deployment name")
    serve.add_argument(
        "--limit", type=int, default=1, metavar="N",
        help="flow runs at a time, over all schedules (default 1: runs take turns on the "
             "warehouse anyway; more only pile up waiting for its lock)")

    ui = sub.add_parser("ui", help="start Prefect's local server and UI", description=(
        "Start Prefect's server (SQLite under the project's .prefect/) on 127.0.0.1. "
        "`newsdedup run` and `serve` report to it while it is up."))
    ui.add_argument("--host", default=os.environ.get("NEWSDEDUP_UI_HOST", UI_HOST))
    ui.add_argument("--port", type=int, default=int(os.environ.get("NEWSDEDUP_UI_PORT", UI_PORT)))

    query = sub.add_parser("query", help="run SQL on the warehouse (read-only)", description=(
        "Run one SQL statement on a read-only connection to the warehouse and print the "
        "result as a table (or CSV/JSON)."))
    query.add_argument("sql")
    query.add_argument("--db", default=DEFAULT_DB)
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.add_argument("--max-rows", type=_count, default=100, help="rows shown as a table")
    events = sub.add_parser("events", help="recent events with their articles (read-only)",
                            description=(
        "The events seen in the last DAYS days, largest first, one JSON line per article "
        "(event id and title, the article's URL, site and title, and which article it "
        "copies, if any)."))
    events.add_argument("--days", type=_days, default=1.0)
    events.add_argument("--db", default=DEFAULT_DB)
    copies = sub.add_parser("copies", help="every copy of the story at a URL (read-only)",
                            description=(
        "Every article of the copy group the URL's article belongs to, the canonical "
        "article first, one JSON line each."))
    copies.add_argument("url")
    copies.add_argument("--db", default=DEFAULT_DB)
    again = sub.add_parser("reprocess", help="extract and link every stored page again",
                           description=(
        "After an extractor or settings change: extract every page the warehouse holds "
        "again (from its stored raw bytes) and link the articles again. Article and event "
        "ids stay the same where the text did not change. Interrupted, it is resumed by "
        "the next run or reprocess."))
    again.add_argument("--db", default=DEFAULT_DB)
    again.add_argument("--config", help=f"its [dedupe] settings apply (default: {DEFAULT_CONFIG} "
                       "if present)")
    again.add_argument("--batch-size", type=_count, default=200, help="pages per task")
    _add_lock_wait(again)

    check = sub.add_parser("check", help="check the warehouse's integrity (read-only)",
                           description=(
        "Check that no half-written batch, orphan row or duplicate article is visible. "
        "Exit 0 when the warehouse is consistent, 1 otherwise."))
    check.add_argument("--db", default=DEFAULT_DB)
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"newsdedup: error: {message}", file=sys.stderr)
    return code


def _config(args: argparse.Namespace):
    """The effective settings: the config file, with the command line's flags over it.
    Sources become specs with absolute paths, so a served deployment reads the same
    files whatever directory its runs start in."""
    from dataclasses import replace

    from flows.config import Config, ConfigError, load_config
    from flows.sources import SourceSpec, check_source, spec_of

    path = args.config or (DEFAULT_CONFIG if Path(DEFAULT_CONFIG).exists() else None)
    if path:
        config = load_config(path)
    else:
        seeds = SourceSpec("seeds", "folder", DEFAULT_SOURCES[0])
        config = Config(db=DEFAULT_DB, sources=(seeds,))
    specs = [spec_of(s) for s in args.source] if args.source else list(config.sources)
    specs = [s if s.kind in ("url", "feed", "sitemap", "glob")
             else replace(s, location=str(Path(s.location).expanduser().resolve()))
             for s in specs]
    for spec in specs:
        check_source(spec)
    db = Path(args.db or config.db).expanduser().resolve()
    if db.is_dir():
        raise ConfigError(f"the warehouse {db} is a folder: give a file in it, such as "
                          f"{db / 'news.duckdb'}")
    if (folder := next((p for p in db.parents if p.exists()), None)) and not folder.is_dir():
        raise ConfigError(f"the warehouse {db} cannot be made: {folder} is a file")
    return replace(
        config,
        sources=tuple(specs),
        db=str(db),
        batch_size=args.batch_size or config.batch_size,
        lock_wait=_lock_wait(args, config.lock_wait),
        task_runner=args.task_runner or config.task_runner,
    )


def _prepare(args: argparse.Namespace):
    """(config, None) ready to run, Prefect configured; or (None, the problem)."""
    from flows.config import ConfigError
    from flows.runners import RunnerError, task_runner_for
    from flows.sources import SourceError

    try:
        config = _config(args)
        task_runner_for(config.task_runner)
    except (ConfigError, SourceError, RunnerError) as exc:
        return None, str(exc)
    configure_prefect()
    use_running_ui()
    return config, None


def flow_for(config):
    """The ingest flow with the configured task runner."""
    from flows.ingest import ingest
    from flows.runners import task_runner_for

    return ingest.with_options(task_runner=task_runner_for(config.task_runner))


def flow_parameters(config, sources) -> dict:
    from flows.runners import extraction_plan

    tasks, processes = extraction_plan(config.task_runner)
    return {
        "sources": [s.as_dict() if hasattr(s, "as_dict") else s for s in sources],
        "db": config.db, "batch_size": config.batch_size, "lock_wait": config.lock_wait,
        "fetch": config.fetch, "extract_tasks": tasks, "extract_processes": processes,
        "dedupe": config.dedupe,
    }


def cmd_run(args: argparse.Namespace) -> int:
    config, problem = _prepare(args)
    if problem:
        return _fail(problem)
    from flows.summary import format_summary
    from warehouse import WarehouseLocked

    try:
        result = flow_for(config)(**flow_parameters(config, config.sources))
    except WarehouseLocked as exc:
        return _fail(str(exc), 1)
    except Exception as exc:
        return _fail(f"run failed: {type(exc).__name__}: {exc}", 1)
    print(format_summary(result))
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    if not Path(args.db).exists():
        return _fail(f"no warehouse at {args.db}")
    from flows.config import ConfigError, load_config

    path = args.config or (DEFAULT_CONFIG if Path(DEFAULT_CONFIG).exists() else None)
    try:
        dedupe = load_config(path).dedupe if path else {}
    except ConfigError as exc:
        return _fail(str(exc))
    configure_prefect()
    use_running_ui()
    from flows.ingest import reprocess
    from flows.summary import format_summary

    try:
        result = reprocess(db=args.db, batch_size=args.batch_size, lock_wait=_lock_wait(args),
                           dedupe=dedupe)
    except Exception as exc:
        return _fail(f"reprocess failed: {type(exc).__name__}: {exc}", 1)
    print(format_summary(result))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    config, problem = _prepare(args)
    if problem:
        return _fail(problem)
    if os.environ.get("PREFECT_API_URL"):
        return _serve(args, config)
    # Prefect's ephemeral API never schedules runs: bring up the local server for as long
    # as we serve (its UI shows the runs too).
    from flows.server import background_server

    host = os.environ.get("NEWSDEDUP_UI_HOST", UI_HOST)
    port = int(os.environ.get("NEWSDEDUP_UI_PORT", UI_PORT))
    log = Path(os.environ["PREFECT_HOME"]) / "server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"starting Prefect's server on http://{host}:{port} (log: {log})")
    with background_server(host, port, str(log)) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        return _serve(args, config)


def deployments_of(args: argparse.Namespace, config) -> list[tuple[str, dict, dict]]:
    """(name, timing, parameters) of each deployment to serve: one per configured
    schedule, or one for --source; --cron/--interval override every timing."""
    from flows.config import Schedule

    if args.source or not config.schedules:
        schedules = [Schedule(args.name)]
    else:
        schedules = list(config.schedules)
    out = []
    for schedule in schedules:
        timing = ({"interval": args.interval} if args.interval
                  else {"cron": args.cron} if args.cron else schedule.timing())
        sources = config.sources_for(schedule) if not args.source else list(config.sources)
        out.append((schedule.name, timing, flow_parameters(config, sources)))
    return out


def _serve(args: argparse.Namespace, config) -> int:
    from prefect import serve

    flow = flow_for(config)
    deployments = [
        flow.to_deployment(name=name, parameters=parameters, **timing)
        for name, timing, parameters in deployments_of(args, config)
    ]
    with contextlib.suppress(KeyboardInterrupt):
        serve(*deployments, pause_on_shutdown=False, limit=args.limit)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    configure_prefect()
    from flows.server import server_command, server_env

    env = server_env(args.host, args.port)
    print(f"Prefect UI on http://{args.host}:{args.port} (PREFECT_HOME={env['PREFECT_HOME']})")
    try:
        return subprocess.call(server_command(args.host, args.port), env=env)
    except KeyboardInterrupt:
        return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    if not Path(args.db).exists():
        return _fail(f"no warehouse at {args.db}: run `newsdedup run` first")
    from warehouse.connection import connect

    try:
        with connect(args.db, read_only=True, wait_seconds=READ_WAIT_SECONDS) as con:
            relation = con.sql(args.sql)
            if relation is None:
                print("OK")
            elif args.format == "table":
                relation.show(max_rows=args.max_rows, max_width=10_000)
            elif args.format == "csv":
                writer = csv.writer(sys.stdout)
                writer.writerow(relation.columns)
                writer.writerows(relation.fetchall())
            else:
                columns = relation.columns
                for row in relation.fetchall():
                    print(json.dumps(dict(zip(columns, row, strict=True)), default=str,
                                     ensure_ascii=False))
    except duckdb.Error as exc:
        return _fail(str(exc).splitlines()[0], 1)
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from warehouse.reads import events_since

    return _print_rows(args.db, lambda con: events_since(con, args.days))


def cmd_copies(args: argparse.Namespace) -> int:
    from warehouse.reads import copies_of_url

    return _print_rows(args.db, lambda con: copies_of_url(con, args.url),
                       none=f"no article stored from {args.url} (URLs are matched exactly, "
                            "as stored in articles.url)")


def _print_rows(db: str, read, none: str | None = None) -> int:
    """`none`: what to tell the user when there is no row (on stderr: the output stays
    JSON lines)."""
    if not Path(db).exists():
        return _fail(f"no warehouse at {db}: run `newsdedup run` first")
    from warehouse.connection import connect

    with connect(db, read_only=True, wait_seconds=READ_WAIT_SECONDS) as con:
        rows = read(con)
    for row in rows:
        print(json.dumps(row, default=str, ensure_ascii=False))
    if not rows and none:
        print(f"newsdedup: {none}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    if not Path(args.db).exists():
        return _fail(f"no warehouse at {args.db}")
    from warehouse.connection import connect
    from warehouse.reads import INTEGRITY_RULES, integrity_problems

    with connect(args.db, read_only=True, wait_seconds=READ_WAIT_SECONDS) as con:
        problems = integrity_problems(con)
    for rule in INTEGRITY_RULES:
        print(f"  {'FAIL' if rule in problems else 'ok':<4} {rule}"
              + (f": {problems[rule]} rows" if rule in problems else ""))
    return 1 if problems else 0


COMMANDS = {"run": cmd_run, "serve": cmd_serve, "ui": cmd_ui, "query": cmd_query,
            "events": cmd_events, "copies": cmd_copies, "check": cmd_check,
            "reprocess": cmd_reprocess}


def _exit_on_sigterm(signum, frame) -> None:
    # SIGTERM (systemd stop, kill) ends the process the way Ctrl-C would: exit
    # handlers run, so Prefect's ephemeral API server is stopped instead of orphaned,
    # and an interrupted run is recorded as failed. (SIGKILL cannot be caught; the next
    # run marks such a run interrupted.)
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
