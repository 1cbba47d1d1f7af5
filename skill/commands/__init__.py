"""Subcommands of `cramp-relief`, one module each, imported only when chosen: `serve` never
loads the export or simulate commands' code. Each module has `configure(parser)`, which adds its
arguments and sets `run`; its docstring is the subcommand's description."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Final


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, the module that runs it, and its line in `cramp-relief --help`."""

    name: str
    module: str
    help: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


COMMANDS: Final = (
    Command(
        "serve", "skill.commands.serve", "serve the skill endpoint (POST /alexa) with gunicorn"
    ),
    Command(
        "build-model",
        "skill.commands.build_model",
        "generate the interaction models from their sentence templates",
    ),
    Command(
        "check-model",
        "skill.commands.check_model",
        "validate the interaction models as the Alexa developer console would",
    ),
    Command(
        "export",
        "skill.commands.export",
        "write an ASK CLI skill package (skill.json + interaction models) for ask deploy",
    ),
    Command(
        "simulate",
        "skill.commands.simulate",
        "talk to the skill by typing: what Alexa would send, and what the skill says back",
    ),
    Command("db", "skill.commands.db", "create or check the database (DATABASE setting)"),
)
