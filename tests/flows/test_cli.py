import json
import subprocess
import sys

import pytest

from flows.cli import main
from tests.conftest import SEEDS

NEWSDEDUP = [sys.executable, "-m", "flows.cli"]


@pytest.mark.parametrize("command", ["run", "serve", "ui", "query", "check", "reprocess"])
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
