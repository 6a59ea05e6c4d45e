"""constraints.txt, which `make run` installs, pins every package the project needs, at
versions pyproject.toml allows: a dependency added to pyproject.toml without `make lock`
would otherwise float to whatever the index holds on the day of a fresh clone."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            out[canonicalize_name(name)] = version
    return out


def installed_extras() -> list[str]:
    """The extras the Makefile installs."""
    match = re.search(r"^EXTRAS := (.+)$", (ROOT / "Makefile").read_text(), re.M)
    return match.group(1).split(",")


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"]] + [
        Requirement(r) for extra in installed_extras() for r in extras[extra]]


def applies(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": e}) for e in extras | {""})


def needed(roots: list[Requirement]) -> set[str]:
    """Every distribution the roots need, through the installed packages' metadata."""
    seen: set[str] = set()
    todo = [(r, set(r.extras)) for r in roots if applies(r, set())]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        key = name + "[" + ",".join(sorted(extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        for line in metadata.requires(req.name) or []:
            sub = Requirement(line)
            if applies(sub, extras):
                todo.append((sub, set(sub.extras)))
    return {k.split("[")[0] for k in seen}


def test_every_declared_requirement_is_pinned_within_its_range():
    pinned = pins()
    for req in declared():
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not in constraints.txt: run `make lock`"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"constraints.txt pins {req.name}=={pinned[name]}, outside {req}")


def test_every_package_the_install_pulls_in_is_pinned():
    missing = sorted(needed(declared()) - set(pins()))
    assert not missing, f"not in constraints.txt (run `make lock`): {missing}"

