"""Who may read and import what: one reader per TOML format, tests share only through helpers."""

from __future__ import annotations

import ast
import re

from tests.helpers.source_tree import PACKAGE_DIR, imported_modules, python_files, skill_modules

# One reader per file format: each module that parses TOML, and the files it alone reads.
TOML_READERS: dict[str, str] = {
    "skill.content.store": "responses/<locale>/*.toml: the content, the store listing among it",
    "skill.apl.documents": "responses/<locale>/apl/screens.toml",
    "skill.package.testing_instructions": "responses/<locale>/package/certification.toml",
    "skill.devtools.voice_catalog": "responses/budgets.toml",
    "skill.simulator.builtin_phrases": "skill/simulator/phrases/<language>.toml",
}


def test_each_toml_format_has_one_reader() -> None:
    """A second module parsing responses/ TOML would be a second reader of one format (the store
    listing was read and merged outside the content store once): parse through the owner."""
    modules = skill_modules()
    readers = sorted(
        module
        for module, path in modules.items()
        if any(target == "tomllib" for target in imported_modules(path))
    )
    assert readers == sorted(TOML_READERS)


def test_tests_share_code_only_through_helpers_and_bench_never_imports_tests() -> None:
    """Fixtures reach tests through pytest, shared code through tests/helpers/; a test never
    imports conftest or another test module, and bench/ imports nothing from tests/."""
    found = [
        f"{path.relative_to(PACKAGE_DIR.parent)} imports {name}"
        for folder in ("tests", "bench")
        for path in python_files(folder)
        for name in imported_modules(path)
        if (name == "tests" or name.startswith("tests."))
        and not (folder == "tests" and name.startswith("tests.helpers."))
    ]
    assert found == []


def test_no_import_error_is_caught_in_tests_or_bench() -> None:
    """A dependency the tests need is declared in the test extra; a missing one fails loudly."""
    caught = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{node.lineno}"
        for folder in ("tests", "bench")
        for path in python_files(folder)
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ExceptHandler)
        and node.type is not None
        and re.search(r"\b(ImportError|ModuleNotFoundError)\b", ast.unparse(node.type))
    ]
    assert caught == []
