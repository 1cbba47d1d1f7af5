"""DATABASE, the one setting that picks the store: a path or URL in, a Store out.

- unset: `cramp-relief.sqlite3` in the Flask instance folder (the embedded default)
- a plain path, or `sqlite:///relative/path` / `sqlite:////absolute/path` (SQLAlchemy's form)
- `postgresql://user@host/db` (any libpq URL; `postgres://` too)
- `dynamodb://table?region=eu-west-1` (`&endpoint=http://127.0.0.1:5000` for a local stand-in)
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from skill.storage.base import PersistenceError, Store

__all__ = ["DATABASE_NAME", "open_store", "sqlite_path"]

log = logging.getLogger("skill.storage")

DATABASE_NAME = "cramp-relief.sqlite3"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def sqlite_path(setting: str | None, instance_path: str) -> Path | None:
    """The SQLite file DATABASE names; None when it names another backend."""
    if not setting:
        try:
            os.makedirs(instance_path, exist_ok=True)
        except OSError as err:
            # Not fatal: without the folder the store fails on use, and that only loses resume.
            log.error("cannot create the instance folder %s: %s", instance_path, err.strerror)
        return Path(instance_path) / DATABASE_NAME
    match = _SCHEME.match(setting)
    if match is None:
        return Path(setting)
    if match.group(1).lower() != "sqlite":
        return None
    rest = setting[match.end() :]
    if not rest.startswith("/") or len(rest) < 2:
        raise ValueError("an SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
    return Path(rest[1:])


def open_store(
    setting: str | None, instance_path: str, *, timeout: float = 1.0, pool_size: int = 4
) -> Store:
    """The store DATABASE names. Nothing is connected yet: each backend connects on first use
    (in each process), so a server starts even while its database is away.

    ValueError for a setting that names no backend; PersistenceError when the store cannot be
    set up (an SQLite salt file that cannot be read or made, a missing optional package).
    """
    path = sqlite_path(setting, instance_path)
    if path is not None:
        from skill.storage.salt import load_or_create_salt
        from skill.storage.sqlite import SQLiteStore

        return SQLiteStore(path, load_or_create_salt(path.with_name(f"{path.name}.salt")))
    assert setting is not None
    scheme = setting.split(":", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        try:
            from skill.storage.postgres import PostgresStore
        except ImportError as exc:  # psycopg without a libpq it can load
            raise PersistenceError(f"PostgreSQL support cannot load: {exc}") from exc
        return PostgresStore(setting, timeout=timeout, pool_size=pool_size)
    if scheme == "dynamodb":
        from skill.storage.dynamodb import DynamoDBStore

        parts = urlsplit(setting)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = set(query) - {"region", "endpoint"}
        if not parts.netloc or parts.path not in ("", "/") or unknown:
            raise ValueError("a DynamoDB URL is dynamodb://table?region=…[&endpoint=…]")
        return DynamoDBStore(
            parts.netloc,
            region=query.get("region"),
            endpoint=query.get("endpoint"),
            timeout=timeout,
        )
    raise ValueError(f"DATABASE names no known backend ({scheme}://); see the README's settings")
