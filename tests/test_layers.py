"""Layers import downward only: commands -> simulator and dev tools -> app -> the rest.

Read from the source, so an import inside a function counts as much as one at the top; and, in a
fresh interpreter, `cramp-relief serve` without --dev never loads the simulator at all.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import pytest

SKILL = Path(__file__).resolve().parent.parent / "skill"

# Highest first. A module not named here belongs to the core below the app (handlers,
# conversation logic, content and the Alexa protocol), which may import none of these.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("commands", ("skill.cli", "skill.commands")),
    ("simulator and dev tools", ("skill.simulator", "skill.devtools")),
    ("app", ("skill.app", "skill")),
)
CORE = "core"


def layer_of(module: str) -> int:
    """0 for the top layer; len(LAYERS) for the core."""
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            # "skill" itself is the package's __init__ (it exports create_app), not its children.
            exact = prefix == "skill"
            if module == prefix or (not exact and module.startswith(prefix + ".")):
                return rank
    return len(LAYERS)


def layer_name(rank: int) -> str:
    return LAYERS[rank][0] if rank < len(LAYERS) else CORE


def module_name(path: Path) -> str:
    parts = path.relative_to(SKILL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = SKILL.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(source: str, package: str) -> set[str]:
    """Every skill module `source` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from skill.simulator import web` imports the module skill.simulator.web;
                # `from skill import create_app` imports the package skill itself.
                child = f"{base}.{alias.name}"
                found.add(child if is_module(child) else base)
    return {name for name in found if name == "skill" or name.startswith("skill.")}


MODULES = sorted(SKILL.rglob("*.py"))


def test_the_scanner_sees_lazy_imports() -> None:
    # Guards the test below: an import inside a function is exactly what it must not miss.
    source = "def f():\n    from skill.simulator import web\n    import skill.commands.serve\n"
    assert {"skill.simulator.web", "skill.commands.serve"} <= imported_modules(source, "skill")
    assert layer_of("skill.simulator.web") < layer_of("skill.app") < layer_of("skill.speech")
    assert layer_of("skill") == layer_of("skill.app")


@pytest.mark.parametrize("path", MODULES, ids=[module_name(path) for path in MODULES])
def test_no_module_imports_a_layer_above_its_own(path: Path) -> None:
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    rank = layer_of(name)
    upward = sorted(
        f"{imported} ({layer_name(layer_of(imported))})"
        for imported in imported_modules(path.read_text(encoding="utf-8"), package)
        if layer_of(imported) < rank
    )
    assert upward == [], f"{name} ({layer_name(rank)}) imports a layer above it"


# Runs `cramp-relief serve` as the console script does, but builds the worker's app instead of
# starting gunicorn, then reports which simulator modules the process loaded.
_SERVE = """
import json, sys
from skill import cli
from skill.commands import serve
built = []
serve.SkillServer.run = lambda self: built.append(self.load())
code = cli.main(sys.argv[1:])
print(json.dumps({
    "code": code,
    "blueprints": sorted(built[0].blueprints),
    "simulator": sorted(m for m in sys.modules if m.startswith("skill.simulator")),
}))
"""


class ServeReport(TypedDict):
    code: int
    blueprints: list[str]
    simulator: list[str]


def _serve(tmp_path: Path, *args: str) -> ServeReport:
    env = {**os.environ, "CRAMP_RELIEF_DATABASE": str(tmp_path / "serve.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-c", _SERVE, "serve", "--port", "0", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: ServeReport = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_serve_without_dev_never_imports_the_simulator(tmp_path: Path) -> None:
    report = _serve(tmp_path)
    assert report["code"] == 0
    assert report["simulator"] == []
    assert "simulator" not in report["blueprints"]


def test_serve_dev_composes_the_app_with_the_simulator_page(tmp_path: Path) -> None:
    # The control for the test above: the same probe does see the simulator when it is there.
    report = _serve(tmp_path, "--dev", "--dev-ca", str(tmp_path / "dev-ca"))
    assert report["code"] == 0
    assert "skill.simulator.web" in report["simulator"]
    assert "simulator" in report["blueprints"]
