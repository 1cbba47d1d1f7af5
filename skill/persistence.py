"""Persistent attributes for ask-sdk-core, kept in a local SQLite file.

One row per user, keyed by a salted SHA-256 of the Alexa user id so the file never holds the
clear id. Any database trouble surfaces as :class:`PersistenceError`; callers are expected to log
it and carry on without persistence rather than fail the request.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

__all__ = ["PersistenceError", "SQLitePersistenceAdapter", "load_or_create_salt"]

logger = logging.getLogger(__name__)

SALT_BYTES = 32
# A shorter salt would make the stored hashes cheap to reverse for a known set of user ids.
_MIN_SALT_BYTES = 16

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_hash TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at REAL NOT NULL
)
"""
_SELECT = "SELECT attributes FROM users WHERE user_hash = ?"
_UPSERT = """
INSERT INTO users (user_hash, attributes, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_hash) DO UPDATE SET
    attributes = excluded.attributes,
    updated_at = excluded.updated_at
"""
_DELETE = "DELETE FROM users WHERE user_hash = ?"


class PersistenceError(Exception):
    """The attribute store could not be used; the message never contains a user id."""


def load_or_create_salt(path: Path) -> bytes:
    """Return this install's salt, creating it (mode 0600) on first use.

    The salt is written to a private temporary file and then hard-linked into place, so the final
    name appears atomically with its full content: a racing process either wins the link or reads
    the winner's complete salt, never an empty or half-written file.
    """
    try:
        return _read_salt(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise PersistenceError(f"cannot read salt file: {exc.strerror or exc}") from exc

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(SALT_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process won the race: use its salt
            os.link(tmp, path)
        return _read_salt(path)
    except OSError as exc:
        raise PersistenceError(f"cannot create salt file: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_salt(path: Path) -> bytes:
    salt = path.read_bytes()
    if len(salt) != SALT_BYTES:
        # Regenerating would silently orphan every stored row, so make the operator look at it.
        raise PersistenceError(f"salt file has {len(salt)} bytes, expected {SALT_BYTES}")
    return salt


class SQLitePersistenceAdapter(AbstractPersistenceAdapter):
    """Store each user's persistent attributes as one JSON row in a WAL-mode SQLite file.

    Each thread keeps one connection and reuses it: opening one per call measured over a
    millisecond (its first statement builds the WAL index again, which closing the last connection
    tears down), more than all the rest of a request. A connection is never shared, not between
    threads and not across gunicorn's fork (it is kept per process id). It is reused only while
    the database file is as this thread last left it, so a file replaced or damaged behind our back
    is opened afresh, and fails, as a new connection would; and one that raised an error is closed
    and opened again on the next call.
    """

    def __init__(self, path: str | os.PathLike[str], salt: bytes, *, timeout: float = 2.0) -> None:
        if len(salt) < _MIN_SALT_BYTES:
            raise ValueError(f"salt must be at least {_MIN_SALT_BYTES} bytes")
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

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, object]:
        user_hash = self._user_hash(request_envelope)
        if user_hash is None:
            return {}
        with self._connect("read attributes") as conn:
            row = conn.execute(_SELECT, (user_hash,)).fetchone()
        if row is None:
            return {}
        return _decode_row(row[0])

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, object]
    ) -> None:
        user_hash = self._user_hash(request_envelope)
        if user_hash is None:
            return
        try:
            payload = json.dumps(attributes, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            raise PersistenceError(
                f"attributes are not JSON-serialisable ({type(exc).__name__})"
            ) from None
        with self._connect("save attributes") as conn:
            # Autocommit mode: the single UPSERT is its own transaction, so a row is either the
            # old value or the new one, never a mix.
            conn.execute(_UPSERT, (user_hash, payload, time.time()))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        user_hash = self._user_hash(request_envelope)
        if user_hash is None:
            return
        with self._connect("delete attributes") as conn:
            conn.execute(_DELETE, (user_hash,))

    def ping(self) -> None:
        """Raise PersistenceError unless the database answers a query (for /readyz)."""
        with self._connect("reach the database") as conn:
            conn.execute("SELECT 1 FROM users LIMIT 1").fetchall()

    def _user_hash(self, request_envelope: RequestEnvelope) -> str | None:
        user_id = _user_id(request_envelope)
        if user_id is None:
            return None
        # surrogatepass: ids arrive via JSON, which can carry lone surrogates; never crash on them.
        digest = hashlib.sha256(self._salt + user_id.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

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
            conn.execute(_SCHEMA)
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


def _user_id(request_envelope: RequestEnvelope) -> str | None:
    """The Alexa user id from context.system.user, else session.user; None if absent or empty."""
    context = request_envelope.context
    if context is not None and context.system is not None and context.system.user is not None:
        user_id = context.system.user.user_id
        if isinstance(user_id, str) and user_id:
            return user_id
    session = request_envelope.session
    if session is not None and session.user is not None:
        user_id = session.user.user_id
        if isinstance(user_id, str) and user_id:
            return user_id
    return None


def _decode_row(raw: object) -> dict[str, object]:
    """Parse a stored row defensively: anything but a JSON object becomes {}."""
    try:
        if not isinstance(raw, bytes):
            raise TypeError(f"column holds {type(raw).__name__}")
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, TypeError, RecursionError) as exc:
        logger.warning("ignoring unreadable persistent attributes row (%s)", type(exc).__name__)
        return {}
    if not isinstance(value, dict):
        logger.warning("ignoring persistent attributes row holding a %s", type(value).__name__)
        return {}
    return value
