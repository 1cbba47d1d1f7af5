"""The source tree as the structure tests read it: the package's modules, what a file imports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "skill"

PACKAGE_DIR = Path(__file__).resolve().parents[2] / PACKAGE


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def skill_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def python_files(folder: str) -> list[Path]:
    return sorted((PACKAGE_DIR.parent / folder).rglob("*.py"))


def imported_modules(path: Path) -> Iterator[str]:
    """Modules a file imports by absolute name (`from tests import x` counts as tests.x)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "tests":
            yield from (f"tests.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
