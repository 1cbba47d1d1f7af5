"""The codebase's shape: layers import downward only, modules stay small, functions stay simple.

Each check has an explicit allow-list of what breaks it today and is being fixed. An entry that no
longer breaks the rule fails the test until it is deleted, so the lists only shrink.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from radon.complexity import cc_rank, cc_visit

from skill.conversation.services import Services

PACKAGE = "skill"
PACKAGE_DIR = Path(__file__).resolve().parent.parent / PACKAGE

# The layers, top first; a module may import its own layer and those below it, never one above.
# Each entry is a module or a package (which covers everything inside it), without "skill.".
# When you add or move a module, put it in its layer here: an unlisted module fails the test, and
# so does an entry that names no module.
LAYERS: dict[str, tuple[str, ...]] = {
    # skill.worker is the gunicorn worker class `serve` names.
    "commands": ("cli", "commands", "worker"),
    # Development tools: the simulator, skill.devtools (the development CA, throwaway databases,
    # the reply catalogue the voice tests and the benchmark share), skill.package (the ASK export,
    # Amazon's manifest rules, the store icons), the model's sentence templates.
    "simulator/devtools": ("simulator", "devtools", "package", "sentences"),
    # The package itself ("skill", which re-exports create_app) counts as the app.
    "app": ("", "app", "config", "dispatch", "endpoint", "ops", "metrics", "logs", "privacy"),
    "handlers": ("handlers", "interceptors"),
    # The turn, session state, the routines service, tips, relief and resume (skill.conversation).
    "conversation services": ("conversation", "slots", "storage"),
    # The interaction model package holds its reader and the console's checks, which import
    # nothing above it.
    "content / alexa protocol": (
        "content",
        "speech",
        "apl",
        "interaction_model",
        "data",
        "locales",
        "clock",
        "envelopes",
        "entity_resolution",
        "codec",
        "verification",
        "alexa_api",
        "voice_permission",
    ),
}

# Upward imports that exist today and are being removed (issue 8, item 1: the app no longer
# imports the simulator, and the simulator's page no longer borrows the command's formatters).
# (importer, imported) module names. Delete an entry once its import is gone; the list must end
# empty.
KNOWN_UPWARD_IMPORTS: frozenset[tuple[str, str]] = frozenset()

MAX_MODULE_LINES = 300
# Modules over MAX_MODULE_LINES today, being split. Delete an entry once it fits.
LONG_MODULES: frozenset[str] = frozenset()

WORST_GRADE = "C"  # radon's cyclomatic-complexity grade: A (simple) to F; D and worse fail
# Functions graded worse than WORST_GRADE today, being split, as "path:qualified name".
COMPLEX_FUNCTIONS: frozenset[str] = frozenset()


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def skill_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def covers(entry: str, module: str) -> bool:
    """Whether a LAYERS entry names `module` or a package holding it ("" is the package alone)."""
    full = f"{PACKAGE}.{entry}" if entry else PACKAGE
    return module == full or (entry != "" and module.startswith(full + "."))


def layer_of(module: str) -> int | None:
    """The index (0 = top) of the layer whose longest entry covers `module`."""
    best: tuple[int, int] | None = None  # (length of the entry, layer index)
    for index, entries in enumerate(LAYERS.values()):
        for entry in entries:
            if covers(entry, module) and (best is None or len(entry) > best[0]):
                best = (len(entry), index)
    return None if best is None else best[1]


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """(skill module imported, line) for every import in the file, those inside functions and
    under TYPE_CHECKING included; `from a import b` counts as a.b when that is a module."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, path.name == "__init__.py")
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                yield target, node.lineno


def upward_imports() -> dict[tuple[str, str], str]:
    """Every import of a layer above the importer's: (importer, imported) -> a readable line."""
    modules = skill_modules()
    names = list(LAYERS)
    found = {}
    for module, path in modules.items():
        own = layer_of(module)
        assert own is not None, f"{module} is in no layer: add it to LAYERS"
        for target, line in imports_of(module, path, set(modules)):
            theirs = layer_of(target)
            assert theirs is not None, f"{module} imports {target}, which is in no layer"
            if theirs < own:
                found[(module, target)] = (
                    f"{path.relative_to(PACKAGE_DIR.parent)}:{line}: {module} ({names[own]}) "
                    f"imports {target} ({names[theirs]})"
                )
    return found


def test_every_module_is_in_a_layer_and_every_entry_names_a_module() -> None:
    modules = skill_modules()
    assert [m for m in modules if layer_of(m) is None] == []
    stale = [
        entry
        for entries in LAYERS.values()
        for entry in entries
        if not any(covers(entry, module) for module in modules)
    ]
    assert stale == [], "LAYERS names modules that do not exist: remove or rename them"


def test_layers_import_downward_only() -> None:
    found = upward_imports()
    new = sorted(line for pair, line in found.items() if pair not in KNOWN_UPWARD_IMPORTS)
    assert new == [], "\n".join(new)


def test_known_upward_imports_still_exist() -> None:
    """A fixed upward import must leave KNOWN_UPWARD_IMPORTS, so the list only shrinks."""
    assert sorted(KNOWN_UPWARD_IMPORTS - upward_imports().keys()) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("skill.handlers.routine", "from skill.speech import Reply", "skill.speech"),
        ("skill.handlers.routine", "from skill import codec", "skill.codec"),
        ("skill.handlers.routine", "from skill import create_app", "skill"),
        ("skill.handlers.routine", "from . import base", "skill.handlers.base"),
        ("skill.handlers.routine", "from ..speech import Reply", "skill.speech"),
        ("skill.handlers", "from .base import Services", "skill.handlers.base"),
        ("skill.handlers.routine", "def f():\n    import skill.app\n", "skill.app"),
    ],
)
def test_imports_are_read_as_python_resolves_them(
    tmp_path: Path, module: str, source: str, expected: str
) -> None:
    """The reader behind the layering test: absolute, relative and function-local imports."""
    path = tmp_path / ("__init__.py" if module == "skill.handlers" else "mod.py")
    path.write_text(source, "utf-8")
    known = {"skill.codec", "skill.handlers.base", "skill.speech", "skill.app"}
    assert [target for target, _ in imports_of(module, path, known)] == [expected]


def test_layers_rank_the_architecture() -> None:
    """The table's order is the house rule's: commands on top, content and protocol at the base."""
    assert layer_of("skill.cli") == 0
    assert layer_of("skill.commands.serve") == 0
    assert layer_of("skill.simulator.web") == layer_of("skill.devtools.voice_catalog") == 1
    assert layer_of("skill") == layer_of("skill.app") == 2
    assert layer_of("skill.handlers.base") == layer_of("skill.interceptors") == 3
    assert layer_of("skill.conversation.routines") == layer_of("skill.conversation.turn") == 4
    assert layer_of("skill.content.store") == layer_of("skill.speech")
    assert layer_of("skill.speech") == len(LAYERS) - 1
    assert layer_of("skill.nosuch") is None


# The conversation flows handlers reach through the Services they are built with, never by import:
# each is one object the app makes (the safety routes are still free functions; see
# skill/conversation/safety.py).
SERVICE_FLOWS = ("routines", "tips", "relief", "reminders")


def test_handlers_reach_the_conversation_flows_through_services() -> None:
    modules = skill_modules()
    flows = {"skill.conversation.tips", "skill.conversation.relief"}
    found = sorted(
        f"{module} imports {target}"
        for module, path in modules.items()
        if module.startswith("skill.handlers")
        for target, _ in imports_of(module, path, set(modules))
        if any(target == flow or target.startswith(flow + ".") for flow in flows)
    )
    assert found == []
    services = {field.name for field in dataclasses.fields(Services)}
    assert set(SERVICE_FLOWS) <= services


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
        if any(target == "tomllib" for target in _imported_modules(path))
    )
    assert readers == sorted(TOML_READERS)


# --- tests and benchmarks --------------------------------------------------------------------


def _python_files(folder: str) -> list[Path]:
    return sorted((PACKAGE_DIR.parent / folder).rglob("*.py"))


def _imported_modules(path: Path) -> Iterator[str]:
    """Modules a file imports by absolute name (`from tests import x` counts as tests.x)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "tests":
            yield from (f"tests.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_tests_share_code_only_through_helpers_and_bench_never_imports_tests() -> None:
    """Fixtures reach tests through pytest, shared code through tests/helpers/; a test never
    imports conftest or another test module, and bench/ imports nothing from tests/."""
    found = [
        f"{path.relative_to(PACKAGE_DIR.parent)} imports {name}"
        for folder in ("tests", "bench")
        for path in _python_files(folder)
        for name in _imported_modules(path)
        if (name == "tests" or name.startswith("tests."))
        and not (folder == "tests" and name.startswith("tests.helpers."))
    ]
    assert found == []


def test_no_import_error_is_caught_in_tests_or_bench() -> None:
    """A dependency the tests need is declared in the test extra; a missing one fails loudly."""
    caught = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{node.lineno}"
        for folder in ("tests", "bench")
        for path in _python_files(folder)
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.ExceptHandler)
        and node.type is not None
        and re.search(r"\b(ImportError|ModuleNotFoundError)\b", ast.unparse(node.type))
    ]
    assert caught == []


# --- size and complexity -------------------------------------------------------------------------


def long_modules() -> dict[str, int]:
    found = {}
    for path in skill_modules().values():
        lines = len(path.read_text("utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found[path.relative_to(PACKAGE_DIR.parent).as_posix()] = lines
    return found


def _functions(blocks: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """radon's functions and methods, with the functions nested in them."""
    for block in blocks:
        if hasattr(block, "closures"):
            name = f"{prefix}{block.fullname}"
            yield name, block
            yield from _functions(block.closures, f"{name}.")


def complex_functions() -> dict[str, str]:
    found = {}
    for path in skill_modules().values():
        where = path.relative_to(PACKAGE_DIR.parent).as_posix()
        for name, block in _functions(cc_visit(path.read_text("utf-8"))):
            grade = cc_rank(block.complexity)
            if grade > WORST_GRADE:
                found[f"{where}:{name}"] = f"{grade} ({block.complexity})"
    return found


def test_modules_stay_under_the_line_limit() -> None:
    over = {path: lines for path, lines in long_modules().items() if path not in LONG_MODULES}
    assert over == {}, f"over {MAX_MODULE_LINES} lines: split them"


def test_the_shared_test_code_stays_under_the_line_limit() -> None:
    """tests/helpers/ (and conftest) are read by every test author: modules named for what they
    hold, each under the limit, rather than one file of everything."""
    tests = PACKAGE_DIR.parent / "tests"
    shared = [tests / "conftest.py", *tests.glob("helpers*.py"), *_python_files("tests/helpers")]
    over = {
        path.relative_to(tests).as_posix(): lines
        for path in shared
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert over == {}, f"over {MAX_MODULE_LINES} lines: split them"


def test_long_modules_allowed_today_are_still_long() -> None:
    """A module split below the limit must leave LONG_MODULES, so the list only shrinks."""
    assert sorted(LONG_MODULES - long_modules().keys()) == []


def test_no_function_is_graded_worse_than_c() -> None:
    found = complex_functions()
    over = {name: grade for name, grade in found.items() if name not in COMPLEX_FUNCTIONS}
    assert over == {}, "split these functions"


def test_complex_functions_allowed_today_are_still_complex() -> None:
    assert sorted(COMPLEX_FUNCTIONS - complex_functions().keys()) == []


def test_complexity_is_measured_on_nested_functions_and_methods() -> None:
    """The reader behind the grade test sees a method and a function inside a function."""
    branches = "".join(f"        if x == {n}:\n            return {n}\n" for n in range(25))
    nested = "".join("    " + line + "\n" for line in branches.splitlines())
    source = f"class A:\n    def m(self, x):\n        def inner(x):\n{nested}        return 0\n"
    graded = {name: cc_rank(block.complexity) for name, block in _functions(cc_visit(source))}
    assert graded["A.m"] == "A"
    assert graded["A.m.inner"] > WORST_GRADE
