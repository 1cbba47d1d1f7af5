"""The embedded default: one local SQLite file in WAL mode, with its salt file beside it."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator

from skill.storage.base import (
    MIN_SALT_BYTES,
    Changes,
    Every,
    PersistenceError,
    Store,
    decode_attributes,
    encode_attributes,
    merge,
)

__all__ = ["SQLiteStore"]

logger = logging.getLogger("skill.storage")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS users (
        user_hash TEXT PRIMARY KEY,
        attributes TEXT NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS seen_requests (
        request_id TEXT PRIMARY KEY,
        expires_at REAL NOT NULL
    )""",
)
_SELECT = "SELECT attributes FROM users WHERE user_hash = ?"
_UPSERT = """
INSERT INTO users (user_hash, attributes, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_hash) DO UPDATE SET
    attributes = excluded.attributes,
    updated_at = excluded.updated_at
"""
_DELETE = "DELETE FROM users WHERE user_hash = ?"
# A row comes back only if this call inserted the id, or took over one that had expired.
_CLAIM = """
INSERT INTO seen_requests (request_id, expires_at) VALUES (?, ?)
ON CONFLICT (request_id) DO UPDATE SET expires_at = excluded.expires_at
WHERE seen_requests.expires_at <= ?
RETURNING 1
"""
_PRUNE = "DELETE FROM seen_requests WHERE expires_at <= ?"


class SQLiteStore(Store):
    """Each user's persistent attributes as one JSON row in a WAL-mode SQLite file.

    Each thread keeps one connection and reuses it: opening one per call measured over a
    millisecond (its first statement builds the WAL index again, which closing the last connection
    tears down), more than all the rest of a request. A connection is never shared, not between
    threads and not across gunicorn's fork (it is kept per process id). It is reused only while
    the database file is as this thread last left it, so a file replaced or damaged behind our back
    is opened afresh, and fails, as a new connection would; and one that raised an error is closed
    and opened again on the next call.
    """

    backend = "sqlite"

    def __init__(self, path: str | os.PathLike[str], salt: bytes, *, timeout: float = 2.0) -> None:
        super().__init__()
        if len(salt) < MIN_SALT_BYTES:
            raise ValueError(f"salt must be at least {MIN_SALT_BYTES} bytes")
        self._path = os.fspath(path)
        self._salt = bytes(salt)
        self._timeout = timeout
        # Only an optimisation: CREATE TABLE IF NOT EXISTS is idempotent, so racing threads or
        # processes that both run it are harmless.
        self._schema_ready = False
        self._local = threading.local()
        # Connections a forked child inherited: kept referenced so they are never closed (nor
        # used) outside the process that opened them.
        self._inherited: list[sqlite3.Connection] = []
        self._prune = Every(60.0)

    def salt(self) -> bytes:
        return self._salt

    def describe(self) -> str:
        return f"sqlite {self._path}"

    def _load(self, user_hash: str) -> dict[str, object]:
        with self._connect("read attributes") as conn:
            row = conn.execute(_SELECT, (user_hash,)).fetchone()
        return {} if row is None else decode_attributes(row[0])

    def _save(self, user_hash: str, changes: Changes) -> None:
        with self._connect("save attributes") as conn:
            if changes.blind:
                # Autocommit mode: the single UPSERT is its own transaction, so a row is either
                # the old value or the new one, never a mix.
                conn.execute(_UPSERT, (user_hash, changes.full_json, time.time()))
                return
            # Read and write under one write lock, so a concurrent save of other keys survives.
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(_SELECT, (user_hash,)).fetchone()
                current = {} if row is None else decode_attributes(row[0])
                payload = encode_attributes(merge(current, changes))
                conn.execute(_UPSERT, (user_hash, payload, time.time()))
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise

    def _delete(self, user_hash: str) -> None:
        with self._connect("delete attributes") as conn:
            conn.execute(_DELETE, (user_hash,))

    def claim_request(self, request_id: str, expires_at: float, now: float) -> bool:
        with self._connect("record the request id") as conn:
            if self._prune.due(now):
                conn.execute(_PRUNE, (now,))
            return conn.execute(_CLAIM, (request_id, expires_at, now)).fetchone() is not None

    def ping(self) -> None:
        with self._connect("reach the database") as conn:
            conn.execute("SELECT count(*) FROM seen_requests WHERE 0").fetchone()

    def check(self) -> str:
        # An SQLite file makes its own tables on first use; checking is using it.
        self.ping()
        return f"{self.describe()}: reachable, schema ready"

    def migrate(self) -> str:
        with self._connect("create the schema"):
            pass
        return f"{self.describe()}: schema ready"

    @contextlib.contextmanager
    def _connect(self, action: str) -> Iterator[sqlite3.Connection]:
        try:
            if not self._schema_ready:
                self._create_schema()
            yield self._connection()
        except (sqlite3.Error, OSError) as exc:
            self._discard()
            # Only sqlite's/OS's own message: queries are parameterised, so it holds no user id.
            raise PersistenceError(f"cannot {action}: {exc}") from exc

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, reused while the file is as it was at its last use."""
        local = self._local
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        # The database file itself changes only at a checkpoint (writes go to the WAL), so a
        # reused connection rarely finds it changed, and then it is opened afresh.
        state = self._file_state()
        if conn is not None and (local.pid != os.getpid() or local.seen != state):
            self._discard()
            conn = None
        if conn is None:
            conn = self._open()
            local.conn, local.pid = conn, os.getpid()
        local.seen = state
        return conn

    def _file_state(self) -> tuple[int, int, int]:
        info = os.stat(self._path)
        return info.st_ino, info.st_size, info.st_mtime_ns

    def _discard(self) -> None:
        local = self._local
        conn: sqlite3.Connection | None = getattr(local, "conn", None)
        local.conn = None
        if conn is None:
            return
        if local.pid != os.getpid():
            self._inherited.append(conn)
            return
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def _open(self) -> sqlite3.Connection:
        # isolation_level=None: statements run in autocommit, each one its own transaction.
        conn = sqlite3.connect(self._path, timeout=self._timeout, isolation_level=None)
        # Read TEXT as bytes so invalid UTF-8 in a row is our decoding problem (-> {}), not an
        # sqlite3.OperationalError that would look like a broken database.
        conn.text_factory = bytes
        # In WAL, NORMAL cannot corrupt the file; it may only lose the last commits on power loss.
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _create_schema(self) -> None:
        # Pre-create the file private: SQLite gives the -wal and -shm files the same permissions.
        os.close(os.open(self._path, os.O_RDONLY | os.O_CREAT, 0o600))
        conn = self._open()
        try:
            self._enable_wal(conn)
            for statement in _SCHEMA:
                conn.execute(statement)
        finally:
            conn.close()
        self._schema_ready = True

    def _enable_wal(self, conn: sqlite3.Connection) -> None:
        # Switching to WAL takes an exclusive lock without consulting the busy handler, so
        # processes starting together on a fresh file see "database is locked" at once. WAL is
        # sticky in the file: check first, and retry the switch until our own timeout runs out.
        deadline = time.monotonic() + self._timeout
        while True:
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
            if mode == b"wal":
                return
            try:
                (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            except sqlite3.OperationalError as exc:
                busy = (exc.sqlite_errorcode & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
                if not busy or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
                continue
            if mode != b"wal":
                # e.g. a filesystem without shared memory; still usable, just less concurrent.
                logger.warning("SQLite refused WAL mode (got %r)", mode.decode(errors="replace"))
            return
