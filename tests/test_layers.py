"""The layers: every module is in one, imports go downward, handlers reach flows via Services."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.conversation.services import Services
from tests.helpers.source_tree import PACKAGE, PACKAGE_DIR, skill_modules

# The layers, top first; a module may import its own layer and those below it, never one above.
# Each entry is a module or a package (which covers everything inside it), without "skill.".
# When you add or move a module, put it in its layer here: an unlisted module fails the test, and
# so does an entry that names no module.
LAYERS: dict[str, tuple[str, ...]] = {
    # skill.worker is the gunicorn worker class `serve` names.
    "commands": ("cli", "commands", "worker"),
    # Development tools: the simulator, skill.devtools (the development CA, throwaway databases,
    # the reply catalogue the voice tests and the benchmark share), skill.package (the ASK export,
    # Amazon's manifest rules, the store icons), the model's sentence templates and the slot
    # types they derive.
    "simulator/devtools": ("simulator", "devtools", "package", "sentences", "derived_types"),
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
