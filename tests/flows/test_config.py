"""sources.toml: read as documented, wrong files refused with the reason."""

from __future__ import annotations

import pytest

from flows.cli import _config, build_parser, deployments_of
from flows.config import ConfigError, load_config
from tests.conftest import ROOT, SEEDS


def test_the_shipped_sources_toml_reads_the_seeds():
    config = load_config(ROOT / "sources.toml")
    assert [(s.name, s.kind) for s in config.sources] == [("seeds", "folder")]
    assert config.sources[0].location == str(SEEDS)
    assert config.db == str(ROOT / "warehouse" / "news.duckdb")
    assert [(s.name, s.timing()) for s in config.schedules] == [
        ("hourly", {"cron": "0 * * * *"})]
    assert config.fetch["per_host_concurrency"] == 2


@pytest.mark.parametrize(("text", "message"), [
    ('[[sources]]\nname = "a"\nkind = "ftp"\nlocation = "x"', "kind must be one of"),
    ('[[sources]]\nname = "a"\nkind = "folder"', "needs a name and a location"),
    ('[[sources]]\nname="a"\nkind="url"\nlocation="http://x/"\n'
     '[[sources]]\nname="a"\nkind="url"\nlocation="http://y/"', "two sources are named"),
    ('[[schedules]]\nname = "s"\ncron = "* * * * *"\ninterval = 5', "not both"),
    ('[[schedules]]\nname = "s"\nsources = ["nope"]', "unknown sources: nope"),
    ('[fetch]\ntimeout_seconds = 5', "unknown [fetch] settings: timeout_seconds"),
    ("this is = not toml =", "sources.toml"),
    ('[dedupe]\nevent_min_cosin = 0.3', "unknown dedupe settings: event_min_cosin"),
    ('[dedupe]\nnum_perm = 64', "fixed by the stored index: num_perm"),
    # values of the wrong kind failed deep inside the run, or looped, or slept forever
    ('[fetch]\ntimeout = "fast"', "[fetch]: timeout must be a number, 0 or more, not 'fast'"),
    ('[fetch]\nper_host_delay = -1', "[fetch]: per_host_delay must be a number, 0 or more"),
    ('[fetch]\nper_host_delay = nan', "[fetch]: per_host_delay must be a number, 0 or more"),
    ('[fetch]\nretries = 2.5', "[fetch]: retries must be a whole number"),
    ('[fetch]\nrespect_robots = "no"', "[fetch]: respect_robots must be true or false"),
    ('[fetch]\nworkers = 0', "[fetch]: workers must be more than 0"),
    ("batch_size = 0", "batch_size must be a whole number, 1 or more"),
    ('batch_size = "200"', "batch_size must be a whole number, 1 or more"),
    ("lock_wait = -5", "lock_wait must be a number of seconds, 0 or more"),
    # Prefect refused these only when `serve` made the deployment, with a traceback
    ('[[schedules]]\nname = "s"\ncron = "every hour"', "'every hour' is not a cron string"),
    ('[[schedules]]\nname = "s"\ninterval = -5', "interval must be a number of seconds over 0"),
    ('[[schedules]]\nname = "s"\ninterval = "1h"', "interval must be a number of seconds"),
    ("[dedupe]\nevent_min_cosine = 30", "event_min_cosine must be a number from 0 to 1"),
    ('[dedupe]\nevent_window_days = "2w"', "event_window_days must be a whole number"),
    ("[dedupe]\nevent_max_candidates = 2.5", "event_max_candidates must be a whole number"),
])
def test_wrong_configs_are_refused_with_the_reason(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


def test_flags_override_the_config_and_schedules_become_deployments(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(f"""
db = "w.duckdb"
[[sources]]
name = "seeds"
kind = "folder"
location = "{SEEDS}"
[[sources]]
name = "feed"
kind = "feed"
location = "https://example.com/feed.xml"
[[schedules]]
name = "seeds-hourly"
cron = "0 * * * *"
sources = ["seeds"]
[[schedules]]
name = "feed-often"
interval = 300
""")
    args = build_parser().parse_args(["serve", "--config", str(path)])
    config = _config(args)
    assert config.db == str(tmp_path / "w.duckdb")
    deployments = {name: (timing, params) for name, timing, params in deployments_of(args, config)}
    assert deployments["seeds-hourly"][0] == {"cron": "0 * * * *"}
    assert [s["name"] for s in deployments["seeds-hourly"][1]["sources"]] == ["seeds"]
    assert deployments["feed-often"][0] == {"interval": 300}
    assert [s["name"] for s in deployments["feed-often"][1]["sources"]] == ["seeds", "feed"]

    args = build_parser().parse_args(["serve", "--config", str(path), "--interval", "5",
                                      "--db", str(tmp_path / "other.duckdb")])
    config = _config(args)
    assert config.db == str(tmp_path / "other.duckdb")
    assert {name: timing for name, timing, _ in deployments_of(args, config)} == {
        "seeds-hourly": {"interval": 5.0}, "feed-often": {"interval": 5.0}}


def test_dedupe_settings_from_the_config_reach_the_flow(tmp_path):
    from dedupe.settings import settings_from
    from flows.cli import flow_parameters

    path = tmp_path / "sources.toml"
    path.write_text(f"""
[[sources]]
name = "seeds"
kind = "folder"
location = "{SEEDS}"
[dedupe]
event_merge_min_ratio = 0.5
event_min_cosine = 0.35
""")
    config = _config(build_parser().parse_args(["run", "--config", str(path)]))
    dedupe = flow_parameters(config, config.sources)["dedupe"]
    settings = settings_from(dedupe)
    assert (settings.event_merge_min_ratio, settings.event_min_cosine) == (0.5, 0.35)
    assert settings.num_perm == 128  # everything else stays the default
