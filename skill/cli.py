"""The `cramp-relief` command: one subcommand per module in skill/commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from skill import logs
from skill.commands import COMMANDS


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv`: the first word that is not an option (the top-level
    parser has no option taking a value), or None."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for `argv`: every command is listed, but only the chosen one's module is
    imported to add its arguments (the others would load code this run never uses)."""
    parser = argparse.ArgumentParser(prog="cramp-relief", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    chosen = chosen_command(argv)
    for command in COMMANDS:
        if command.name != chosen:
            subparsers.add_parser(command.name, help=command.help)
            continue
        module = command.load()
        module.configure(
            subparsers.add_parser(
                command.name,
                help=command.help,
                description=module.__doc__,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(words).parse_args(words)
    logs.configure(logging.INFO)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
