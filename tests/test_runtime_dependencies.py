"""What `serve` imports, `pip install .` installs: no module comes only from the test extra, and
none of the development tools (the simulator, skill.devtools, the package export)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata

import pytest

# What the app and its default worker load when `cramp-relief serve` starts one.
# Modules already loaded when the probe starts (site's .pth hooks) are not ours and are left out.
PROBE = """
import json, sys
before = set(sys.modules)
import skill.worker
from skill.app import create_app
create_app({"DATABASE": sys.argv[1]})
new = set(sys.modules) - before
print(json.dumps(sorted(name for name in new if name.startswith("skill."))))
print(json.dumps(sorted({name.split(".")[0] for name in new})))
"""
# What only development tools import; `serve` without --dev loads none of it.
DEV_ONLY = (
    "skill.simulator",
    "skill.devtools",
    "skill.package",
    "skill.sentences",
    "skill.derived_types",
)


def runtime_distributions() -> set[str]:
    """cramp-relief's runtime requirements, followed transitively, extras left out."""
    seen: set[str] = set()
    todo = ["cramp-relief"]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            todo.append(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])
    return seen


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """(skill modules, top-level modules) that starting the app and its worker loads."""
    database = tmp_path_factory.mktemp("probe") / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(database)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    *_, skill_modules, top_level = result.stdout.splitlines()
    return json.loads(skill_modules), json.loads(top_level)


def test_serve_loads_no_development_tool(loaded: tuple[list[str], list[str]]) -> None:
    skill_modules, _ = loaded
    assert "skill.endpoint" in skill_modules  # the probe did start the app
    dev = [m for m in skill_modules if any(m == d or m.startswith(d + ".") for d in DEV_ONLY)]
    assert dev == []


def test_serve_loads_only_declared_dependencies(loaded: tuple[list[str], list[str]]) -> None:
    _, top_level = loaded
    allowed = runtime_distributions()
    owners = metadata.packages_distributions()
    undeclared = {
        module: owners[module]
        for module in top_level
        if module in owners
        and module not in sys.stdlib_module_names
        and not any(re.sub(r"[-_.]+", "-", d).lower() in allowed for d in owners[module])
    }
    assert undeclared == {}, f"imported but not a runtime dependency: {undeclared}"
