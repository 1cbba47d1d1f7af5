"""The `cramp-relief` command: one subcommand per module in skill/commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from skill import logs
from skill.commands import COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cramp-relief", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    args = parser.parse_args(argv)
    logs.configure(logging.INFO)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
