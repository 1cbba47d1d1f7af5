"""Subcommands of `cramp-relief`; each module has `register(subparsers)` setting `run`."""

from __future__ import annotations

from types import ModuleType

from skill.commands import build_model, check_model, db, export, serve, simulate

COMMANDS: tuple[ModuleType, ...] = (serve, build_model, check_model, export, simulate, db)
