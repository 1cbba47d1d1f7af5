"""The storage backends as the contract suite sees them: SQLite, PostgreSQL and DynamoDB, each
able to be tampered with, taken away, or made to refuse writes."""

from __future__ import annotations

import contextlib
import json
import resource
import signal
import sqlite3
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3

from skill.devtools.devdb import MotoServer, PostgresCluster
from skill.storage import Store, open_store
from skill.storage.base import hash_user


class Backend:
    """One backend under test; `url` is what DATABASE is set to."""

    name = "?"
    url = ""
    # Whether concurrent saves of different keys for one person both survive.
    merges_keys = True

    opened: list[Store]

    def open(self) -> Store:
        store = open_store(self.url, "/nonexistent-instance-folder")
        self.__dict__.setdefault("opened", []).append(store)
        return store

    def close(self) -> None:
        for store in self.__dict__.get("opened", []):
            store.close()

    def tamper(self, user_id: str, raw_json: str) -> None:
        """Overwrite the user's stored attributes with `raw_json`, behind the store's back."""
        raise NotImplementedError

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        """The database cannot be reached inside the block, and is back (data intact) after."""
        raise NotImplementedError
        yield

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        """Reads may work but writes fail inside the block (full disk, read-only, gone)."""
        raise NotImplementedError
        yield

    def user_key(self, user_id: str) -> str:
        store = self.open()
        try:
            return hash_user(store.salt(), user_id)
        finally:
            store.close()


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "db"
        self.folder.mkdir()
        self.path = self.folder / "cramp-relief.sqlite3"
        self.url = f"sqlite:///{self.path}"  # sqlite:/// + an absolute path: four slashes

    def tamper(self, user_id: str, raw_json: str) -> None:
        with contextlib.closing(sqlite3.connect(self.path)) as conn, conn:
            conn.execute(
                "UPDATE users SET attributes = ? WHERE user_hash = ?",
                (raw_json, self.user_key(user_id)),
            )

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        hidden = self.folder.with_name("db-away")
        self.folder.rename(hidden)
        try:
            yield
        finally:
            hidden.rename(self.folder)

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        # A full disk, as the kernel reports it: any write past this size fails with EFBIG
        # (SQLITE_FULL), and SIGXFSZ is ignored so that is an error, not a killed process.
        # Root ignores file permissions, so this works for every user.
        limits = resource.getrlimit(resource.RLIMIT_FSIZE)
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, limits[1]))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, limits)
            signal.signal(signal.SIGXFSZ, previous)


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, cluster: PostgresCluster, url: str) -> None:
        self.cluster = cluster
        self.url = url
        self.dbname = url.split("///", 1)[1].split("?", 1)[0]

    def tamper(self, user_id: str, raw_json: str) -> None:
        literal = raw_json.replace("'", "''")
        self.cluster.sql(
            f"UPDATE cramp_relief_users SET attributes = '{literal}'::jsonb"
            f" WHERE user_hash = '{self.user_key(user_id)}'",
            self.dbname,
        )

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        self.cluster.stop("immediate")  # as a crash: every session is cut
        try:
            yield
        finally:
            self.cluster.start()

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        # Read-only for every session, open ones included (as a standby, or a disk-full guard).
        self.cluster.sql("ALTER SYSTEM SET default_transaction_read_only = on")
        self.cluster.sql("SELECT pg_reload_conf()")
        try:
            yield
        finally:
            self.cluster.sql("ALTER SYSTEM RESET default_transaction_read_only")
            self.cluster.sql("SELECT pg_reload_conf()")


class DynamoBackend(Backend):
    name = "dynamodb"
    # The official adapter writes a person's whole item.
    merges_keys = False

    def __init__(self, server: MotoServer) -> None:
        self.server = server
        self.table = f"t-{uuid.uuid4().hex[:12]}"
        self.url = server.url(self.table)
        self.open().migrate()

    def _table(self) -> Any:
        return boto3.resource("dynamodb", endpoint_url=self.server.endpoint).Table(self.table)

    def tamper(self, user_id: str, raw_json: str) -> None:
        value = json.loads(raw_json, parse_float=Decimal)
        self._table().put_item(Item={"id": self.user_key(user_id), "attributes": value})

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        with self.server.frozen():
            yield

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        # moto has no read-only mode: the table is gone (DynamoDB refuses every write), and is
        # made again afterwards.
        self._table().delete()
        try:
            yield
        finally:
            self.open().migrate()
