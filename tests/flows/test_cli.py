import json
import subprocess
import sys

import pytest

from flows.cli import main
from tests.conftest import SEEDS

NEWSDEDUP = [sys.executable, "-m", "flows.cli"]


@pytest.mark.parametrize("command", ["run", "serve", "ui", "query", "events", "copies",
                                     "check", "reprocess"])
def test_every_command_has_help(command):
    out = subprocess.run([*NEWSDEDUP, command, "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "usage: newsdedup" in out.stdout


def test_missing_source_is_a_clear_error_not_a_traceback(tmp_path):
    out = subprocess.run(
        [*NEWSDEDUP, "run", "--source", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb")],
        capture_output=True, text=True,
    )
    assert out.returncode == 2
    assert "source not found" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_a_warehouse_path_that_cannot_be_a_file_is_refused_before_the_run(tmp_path, capsys):
    # it failed inside the flow, after Prefect's server had started, with DuckDB's or
    # the file system's words
    (tmp_path / "a-file").write_text("")
    assert main(["run", "--source", str(SEEDS), "--db", str(tmp_path)]) == 2
    assert "is a folder: give a file in it" in capsys.readouterr().err
    assert main(["run", "--source", str(SEEDS), "--db", str(tmp_path / "a-file" / "w.duckdb")]) == 2
    assert "a-file is a file" in capsys.readouterr().err


def test_unsupported_scheme_is_refused(tmp_path):
    assert main(["run", "--source", "ftp://example.com/x", "--db", str(tmp_path / "w")]) == 2


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, prefect_harness):
    from flows.ingest import ingest

    db = tmp_path_factory.mktemp("cli") / "news.duckdb"
    ingest(sources=[str(SEEDS)], db=str(db))
    return db


def test_query_prints_rows(seeded_db, capsys):
    assert main(["query", "SELECT count(*) AS n FROM articles", "--db", str(seeded_db),
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"n": 5}


def test_query_is_read_only(seeded_db, capsys):
    assert main(["query", "DELETE FROM articles", "--db", str(seeded_db)]) == 1
    assert "read-only" in capsys.readouterr().err
    assert main(["query", "SELECT count(*) AS n FROM articles", "--db", str(seeded_db),
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "5"]


def test_query_without_a_warehouse_says_what_to_do(tmp_path, capsys):
    assert main(["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "newsdedup run" in capsys.readouterr().err


def test_events_and_copies_commands_print_the_seed_events(seeded_db, capsys):
    # The seeds were published in 2024: a window of ten years holds all three events.
    assert main(["events", "--days", "3650", "--db", str(seeded_db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 5 and len({r["event_id"] for r in rows}) == 3
    assert rows[0]["n_articles"] == 3  # largest event first: 000, 001 and 004
    # A seed without a date counts as seen now (by this run): the events of the last day
    # are those holding such a seed, with all their articles; the others date from 2024.
    import duckdb

    with duckdb.connect(str(seeded_db), read_only=True) as con:
        expected = {url for (url,) in con.execute(
            "SELECT a.url FROM event_members m JOIN articles a USING (article_id) "
            "WHERE m.event_id IN (SELECT m2.event_id FROM event_members m2 "
            "JOIN articles u USING (article_id) WHERE u.published_at IS NULL)").fetchall()}
    assert 0 < len(expected) < 5
    assert main(["events", "--days", "1", "--db", str(seeded_db)]) == 0
    recent = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["url"] for r in recent} == expected
    url = rows[0]["url"]
    assert main(["copies", url, "--db", str(seeded_db)]) == 0
    group = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(g["url"], g["is_canonical"]) for g in group] == [(url, True)]  # no copies


@pytest.mark.parametrize("days", ["0", "-1", "nan", "1e9", "soon"])
def test_events_refuses_a_window_that_is_no_window(seeded_db, capsys, days):
    # 1e9 days back raised OverflowError with a traceback; 0 and -1 printed nothing
    with pytest.raises(SystemExit) as exit_:
        main(["events", f"--days={days}", "--db", str(seeded_db)])
    assert exit_.value.code == 2 and "--days" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--batch-size=0", "--batch-size=-5", "--lock-wait=-1",
                                  "--lock-wait=soon"])
def test_run_refuses_a_batch_size_or_wait_that_is_none(tmp_path, capsys, flag):
    # --batch-size 0 ran with 200 without a word; -5 failed inside DuckDB ("LIMIT/OFFSET
    # cannot be negative") after the run had begun
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--source", str(SEEDS), "--db", str(tmp_path / "w.duckdb"), flag])
    assert exit_.value.code == 2 and flag.split("=")[0] in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


def test_copies_of_a_url_never_stored_says_so_and_query_refuses_no_rows(seeded_db, capsys):
    assert main(["copies", "https://nowhere.example/x", "--db", str(seeded_db)]) == 0
    out = capsys.readouterr()
    assert out.out == "" and "no article stored from https://nowhere.example/x" in out.err
    with pytest.raises(SystemExit):  # a traceback from DuckDB's printer before
        main(["query", "SELECT 1", "--max-rows", "-1", "--db", str(seeded_db)])
    assert "--max-rows" in capsys.readouterr().err


def test_sigterm_stops_the_run_and_its_own_prefect_server(tmp_path):
    # Without a PREFECT_API_URL, `run` starts Prefect's ephemeral API server as a child
    # process; a SIGTERM (systemd stop, kill) must not leave that server behind.
    import os
    import signal
    import time

    import psutil

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    proc = subprocess.Popen([*NEWSDEDUP, "run", "--source", str(SEEDS),
                             "--db", str(tmp_path / "w.duckdb")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, servers = time.monotonic() + 120, []
    while not servers and time.monotonic() < deadline and proc.poll() is None:
        servers = [c for c in psutil.Process(proc.pid).children(recursive=True)
                   if "uvicorn" in " ".join(c.cmdline())]
        time.sleep(0.2)
    assert servers, "the run never started its own server"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) != 0
    gone, alive = psutil.wait_procs(servers, timeout=30)
    assert alive == []
