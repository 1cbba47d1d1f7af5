"""Modules under the line limit, functions under radon's grade C; the allow-lists only shrink."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from radon.complexity import cc_rank, cc_visit

from tests.helpers.source_tree import PACKAGE_DIR, python_files, skill_modules

MAX_MODULE_LINES = 300

# Modules over MAX_MODULE_LINES today, being split. Delete an entry once it fits.
LONG_MODULES: frozenset[str] = frozenset()

WORST_GRADE = "C"  # radon's cyclomatic-complexity grade: A (simple) to F; D and worse fail

# Functions graded worse than WORST_GRADE today, being split, as "path:qualified name".
COMPLEX_FUNCTIONS: frozenset[str] = frozenset()


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
    shared = [tests / "conftest.py", *tests.glob("helpers*.py"), *python_files("tests/helpers")]
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
