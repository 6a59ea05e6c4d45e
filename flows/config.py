"""sources.toml: what to read, where to store it, and when (see sources.toml itself).

Read once into a `Config`; relative paths are taken from the config file's folder, so
a scheduled process started elsewhere (systemd, a work pool) reads the same files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from prefect.client.schemas.schedules import CronSchedule

from dedupe.settings import settings_from
from flows.fetch import FetchSettings
from flows.sources import KINDS, SourceError, SourceSpec

DEFAULT_CONFIG = "sources.toml"
DEFAULT_CRON = "0 * * * *"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str | None = None
    interval: float | None = None
    sources: tuple[str, ...] = ()  # source names; empty means all

    def timing(self) -> dict:
        return {"interval": self.interval} if self.interval else {"cron": self.cron or DEFAULT_CRON}


@dataclass(frozen=True)
class Config:
    db: str
    sources: tuple[SourceSpec, ...]
    schedules: tuple[Schedule, ...] = ()
    fetch: dict = field(default_factory=dict)  # FetchSettings fields, as given
    dedupe: dict = field(default_factory=dict)  # DedupeSettings fields, as given
    batch_size: int = 200
    lock_wait: float = 120.0
    task_runner: str = "processes"

    def sources_for(self, schedule: Schedule) -> list[dict]:
        wanted = set(schedule.sources)
        return [s.as_dict() for s in self.sources if not wanted or s.name in wanted]


def _resolved(location: str, kind: str, base: Path) -> str:
    if kind in ("url", "feed", "sitemap"):
        return location
    path = Path(location).expanduser()
    return str(path if path.is_absolute() else (base / path))


def _timing_problem(cron, interval) -> str | None:
    """What Prefect would refuse, with a traceback, when `serve` makes the deployment."""
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int | float)
                                 or not interval > 0):
        return f"interval must be a number of seconds over 0, not {interval!r}"
    if cron is not None:
        if not isinstance(cron, str):
            return f"cron must be a cron string such as \"0 * * * *\", not {cron!r}"
        try:
            CronSchedule(cron=cron)
        except ValueError:
            return f"cron {cron!r} is not a cron string such as \"0 * * * *\""
    return None


def load_config(path: str | Path) -> Config:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    base = path.resolve().parent

    specs, names = [], set()
    for i, raw in enumerate(data.get("sources", []), start=1):
        name, kind = raw.get("name"), raw.get("kind")
        location = raw.get("location")
        if not name or not location:
            raise ConfigError(f"{path}: source #{i} needs a name and a location")
        if kind not in KINDS:
            raise ConfigError(f"{path}: source {name!r}: kind must be one of {', '.join(KINDS)}")
        if name in names:
            raise ConfigError(f"{path}: two sources are named {name!r}")
        names.add(name)
        specs.append(SourceSpec(name, kind, _resolved(location, kind, base)))

    schedules = []
    for i, raw in enumerate(data.get("schedules", []), start=1):
        name = raw.get("name") or f"schedule-{i}"
        if raw.get("cron") and raw.get("interval"):
            raise ConfigError(f"{path}: schedule {name!r}: give cron or interval, not both")
        unknown = set(raw.get("sources", [])) - names
        if unknown:
            raise ConfigError(f"{path}: schedule {name!r} names unknown sources: "
                              f"{', '.join(sorted(unknown))}")
        if (problem := _timing_problem(raw.get("cron"), raw.get("interval"))) is not None:
            raise ConfigError(f"{path}: schedule {name!r}: {problem}")
        schedules.append(Schedule(name, raw.get("cron"), raw.get("interval"),
                                  tuple(raw.get("sources", []))))

    fetch = dict(data.get("fetch", {}))
    unknown = set(fetch) - set(FetchSettings.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{path}: unknown [fetch] settings: {', '.join(sorted(unknown))}")
    try:
        FetchSettings.from_dict(fetch)
    except ValueError as exc:
        raise ConfigError(f"{path}: [fetch]: {exc}") from exc
    batch_size, lock_wait = data.get("batch_size", 200), data.get("lock_wait", 120.0)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(f"{path}: batch_size must be a whole number, 1 or more")
    if isinstance(lock_wait, bool) or not isinstance(lock_wait, int | float) or lock_wait < 0:
        raise ConfigError(f"{path}: lock_wait must be a number of seconds, 0 or more")
    dedupe = dict(data.get("dedupe", {}))
    try:
        settings_from(dedupe)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: [dedupe]: {exc}") from exc
    db = data.get("db", "warehouse/news.duckdb")
    return Config(
        db=_resolved(db, "file", base),
        sources=tuple(specs),
        schedules=tuple(schedules),
        fetch=fetch,
        dedupe=dedupe,
        batch_size=batch_size,
        lock_wait=float(lock_wait),
        task_runner=str(data.get("task_runner", "processes")),
    )


__all__ = ["Config", "ConfigError", "Schedule", "SourceError", "load_config"]
