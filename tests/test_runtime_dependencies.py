"""What `serve` imports, `pip install .` installs: no module comes only from the test extra."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

# What the app and its default worker load when `cramp-relief serve` starts one.
# Modules already loaded when the probe starts (site's .pth hooks) are not ours and are left out.
PROBE = """
import json, sys
before = set(sys.modules)
import skill.worker
from skill.app import create_app
create_app({"DATABASE": sys.argv[1]})
print(json.dumps(sorted({name.split(".")[0] for name in set(sys.modules) - before})))
"""


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


def test_serve_loads_only_declared_dependencies(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, f"{tmp_path}/db.sqlite3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    allowed = runtime_distributions()
    owners = metadata.packages_distributions()
    undeclared = {
        module: owners[module]
        for module in loaded
        if module in owners
        and module not in sys.stdlib_module_names
        and not any(re.sub(r"[-_.]+", "-", d).lower() in allowed for d in owners[module])
    }
    assert undeclared == {}, f"imported but not a runtime dependency: {undeclared}"
