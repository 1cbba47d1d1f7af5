"""Where saved places and answered request ids live: SQLite, PostgreSQL or DynamoDB."""

from skill.storage.base import PersistenceError, Store
from skill.storage.replay import ReplayGuard
from skill.storage.url import DATABASE_NAME, open_store, sqlite_path

__all__ = ["DATABASE_NAME", "PersistenceError", "ReplayGuard", "Store", "open_store", "sqlite_path"]
