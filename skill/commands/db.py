"""`cramp-relief db migrate` / `db check`: the store DATABASE names, made ready or looked at.

The setting is read as the server reads it (CRAMP_RELIEF_DATABASE, else the instance folder's
SQLite file), or given with --database. `migrate` is idempotent and safe to run from several
hosts at once; `check` changes nothing. Exit 0 when all is well, 1 when the store is not usable.
"""

from __future__ import annotations

import argparse
import sys

from flask import Config, Flask

from skill.config import DEFAULTS, ENV_PREFIX
from skill.storage import PersistenceError, Store, open_store

EXIT_OK = 0
EXIT_UNUSABLE = 1


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_action", required=True)
    for name, text in (
        ("migrate", "create or upgrade the schema (idempotent; safe from several hosts at once)"),
        ("check", "say whether the database answers and its schema is current; changes nothing"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument(
            "--database",
            metavar="URL",
            help="a path, sqlite:///…, postgresql://… or dynamodb://… "
            f"(default: ${ENV_PREFIX}_DATABASE, else the instance folder's SQLite file)",
        )
        action.set_defaults(run=run)


def _store(database: str | None) -> Store:
    # The settings exactly as create_app reads them (defaults, then CRAMP_RELIEF_* variables).
    config = Config(".")
    config.from_mapping(DEFAULTS)
    config.from_prefixed_env(ENV_PREFIX)
    if database is not None:
        config["DATABASE"] = database
    instance_path = Flask("skill.app").instance_path
    return open_store(
        config["DATABASE"],
        instance_path,
        timeout=max(5.0, float(config["DATABASE_TIMEOUT"])),  # a person is not waiting here
        pool_size=1,
    )


def run(args: argparse.Namespace) -> int:
    try:
        store = _store(args.database)
        try:
            message = store.migrate() if args.db_action == "migrate" else store.check()
        finally:
            store.close()
    except (PersistenceError, ValueError) as err:
        print(f"cramp-relief db {args.db_action}: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    print(message)
    return EXIT_OK
