"""PostgreSQL, the shared store for more than one host: psycopg 3 with a pool per process.

The pool is made on first use in each process, so under gunicorn each worker opens its own after
the fork (a pool or connection inherited across a fork is never used or closed). Every statement
is bounded: a connection is waited for at most TIMEOUT, the server cancels a statement or a lock
wait after TIMEOUT, a server that cannot answer at all (stopped, or unreachable without a reset)
is cut off at twice that and a half second, and after a failure to reach the server the store is
skipped for a moment instead of making every request wait again. So a slow, frozen or missing
database costs the person with the cramp a few seconds at most, inside Alexa's 8 s; relief never
waits on it. A server that answers (it cancelled one slow statement, or every connection is busy
with our own requests) fails only that call: pausing then would drop everyone's saves.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb
from psycopg_pool import PoolTimeout

from skill.storage import postgres_schema as schema
from skill.storage.base import (
    Breaker,
    Changes,
    Every,
    PersistenceError,
    Store,
    decode_attributes,
)
from skill.storage.deadline import Deadlines
from skill.storage.postgres_pool import Pool, open_pool

__all__ = ["PostgresStore"]

logger = logging.getLogger("skill.storage")
# The pool logs a warning for every failed reconnect attempt, several a second while the database
# is away; the store reports failures itself (once, through its callers), so only its errors show.
logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
T = TypeVar("T")
# One watcher thread for every store in the process.
_DEADLINES = Deadlines()


class PostgresStore(Store):
    """Persistent attributes, the replay table and the salt, in one PostgreSQL database."""

    backend = "postgresql"

    def __init__(self, conninfo: str, *, timeout: float = 1.0, pool_size: int = 4) -> None:
        super().__init__()
        if timeout <= 0 or pool_size < 1:
            raise ValueError("timeout must be positive and pool_size at least 1")
        self._conninfo = _bounded_conninfo(conninfo, timeout)
        self._timeout = timeout
        # The server cancels a statement after `timeout`; a server that cannot (stopped, or a
        # network that drops packets without a reset) is cut off by us a little later.
        self._deadline = 2 * timeout + 0.5
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._pool: Pool | None = None
        self._pool_pid = 0
        # Pools a forked child inherited: referenced so they are never closed from the child,
        # which would end the parent's sessions on the shared sockets.
        self._inherited: list[Pool] = []
        self._salt: bytes | None = None
        self._schema_ready = False
        self._breaker = Breaker()
        self._prune = Every(60.0)

    def describe(self) -> str:
        safe = {k: v for k, v in conninfo_to_dict(self._conninfo).items() if k != "password"}
        shown = " ".join(f"{k}={safe[k]}" for k in ("host", "port", "dbname", "user") if k in safe)
        return f"postgresql {shown}".rstrip()

    def salt(self) -> bytes:
        if self._salt is None:
            self._salt = self._run("read the salt", schema.read_salt)
        return self._salt

    def _load(self, user_hash: str) -> dict[str, object]:
        def load(conn: psycopg.Connection[tuple[object, ...]]) -> object:
            row = conn.execute(schema.SELECT, (user_hash,)).fetchone()
            return None if row is None else row[0]

        raw = self._run("read attributes", load)
        return {} if raw is None else decode_attributes(raw)

    def _save(self, user_hash: str, changes: Changes) -> None:
        full = changes.full_json

        def save(conn: psycopg.Connection[tuple[object, ...]]) -> None:
            # One statement either way: ON CONFLICT takes the row lock, so concurrent saves for
            # one person apply one after the other, each to the row as the last one left it.
            if changes.blind:
                conn.execute(schema.UPSERT, (user_hash, full))
            else:
                removed = list(changes.removed)
                conn.execute(schema.MERGE, (user_hash, full, removed, Jsonb(changes.set)))

        self._run("save attributes", save)

    def _delete(self, user_hash: str) -> None:
        self._run("delete attributes", lambda conn: conn.execute(schema.DELETE, (user_hash,)))

    def claim_request(self, request_id: str, expires_at: float, now: float) -> bool:
        def claim(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
            if self._prune.due(now):
                conn.execute(schema.PRUNE, (now,))
            return conn.execute(schema.CLAIM, (request_id, expires_at, now)).fetchone() is not None

        # Not retried: if the first try committed before its connection broke, a second would
        # find the id and call a genuine request a replay.
        return self._run("record the request id", claim, retry=False)

    def ping(self) -> None:
        self._run("reach the database", lambda conn: conn.execute("SELECT 1"), probe=True)

    def check(self) -> str:
        found = self._run("read the schema version", schema.version, probe=True, direct=True)
        if found < schema.CURRENT:
            raise PersistenceError(
                f"schema is at version {found}, this release needs {schema.CURRENT}: "
                "run `cramp-relief db migrate` (or let the first request do it)"
            )
        self._run("read the salt", schema.read_salt, probe=True, direct=True)
        return f"{self.describe()}: reachable, schema version {found}, salt present"

    def migrate(self) -> str:
        done = self._run("migrate the schema", schema.migrate, probe=True, direct=True)
        self._schema_ready = True
        return f"{self.describe()}: {done}"

    def close(self) -> None:
        """Close this process's pool (tests, `db` commands); the store reopens one if used."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None and self._pool_pid == os.getpid():
            pool.close()

    # --- connections ---------------------------------------------------------------------------

    def _run(
        self,
        action: str,
        work: Callable[[psycopg.Connection[tuple[object, ...]]], T],
        *,
        retry: bool = True,
        probe: bool = False,
        direct: bool = False,
    ) -> T:
        if not probe:
            self._breaker.check(action)
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            connected = broken = severed = False
            try:
                with (
                    self._connection(direct) as conn,
                    _DEADLINES.watch(lambda: conn.pgconn.socket, self._deadline) as passed,
                ):
                    try:
                        if not (self._schema_ready or probe):
                            schema.ensure(conn)
                            self._schema_ready = True
                        return work(conn)
                    except psycopg.Error:
                        connected, broken, severed = True, conn.broken, passed.is_set()
                        raise
                    finally:
                        if passed.is_set():  # a shut socket never goes back to the pool
                            conn.close()
            except PoolTimeout as exc:
                pool = self._pool_here()
                if busy := pool.busy():  # every connection out with our own requests
                    why = f"pool busy: all {pool.max_size} connections in use"
                else:  # the pool had room, and the server did not give it a connection in time
                    why = "no connection opened"
                raise self._failure(action, f"{why} ({_reason(exc)})", not busy) from exc
            except psycopg.Error as exc:
                # A pooled connection the server dropped (a restart) breaks on first use; one
                # fresh try finds out whether the database is back. One cut at the deadline
                # means a server that does not answer: trying again would only wait again.
                if broken and not severed and attempt + 1 < attempts:
                    continue
                # No connection, or one that broke or was cut: the server looks unreachable. An
                # error on a working connection (a statement or lock wait cancelled, a
                # constraint) is the server answering: only this call fails.
                lost = broken or (not connected and isinstance(exc, psycopg.OperationalError))
                reason = f"no answer in {self._deadline:g} s" if severed else _reason(exc)
                raise self._failure(action, reason, lost or severed) from exc
        raise AssertionError("unreachable")

    def _failure(self, action: str, reason: str, unreachable: bool) -> PersistenceError:
        """The error to raise; if the server looks unreachable, the store pauses first."""
        if unreachable:
            self._breaker.tripped()
        return PersistenceError(
            f"cannot {action}: {'unreachable: ' if unreachable else ''}{reason}"
        )

    @contextlib.contextmanager
    def _connection(self, direct: bool) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        """A pooled connection; or, for the `db` commands, one of its own, so a failure to
        connect is reported with libpq's reason rather than as a pool timeout."""
        if not direct:
            with self._pool_here().connection(timeout=self._timeout) as conn:
                yield conn
            return
        with psycopg.connect(self._conninfo, autocommit=True) as conn:
            yield conn

    def _pool_here(self) -> Pool:
        pid = os.getpid()
        pool = self._pool
        if pool is not None and self._pool_pid == pid:
            return pool
        with self._lock:
            if self._pool is not None and self._pool_pid != pid:
                self._inherited.append(self._pool)
                self._pool = None
            if self._pool is None:
                self._pool = open_pool(self._conninfo, size=self._pool_size, timeout=self._timeout)
                self._pool_pid = pid
            return self._pool


def _bounded_conninfo(conninfo: str, timeout: float) -> str:
    """`conninfo` with our connect, statement and lock timeouts added to its server options."""
    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        raise ValueError(f"not a PostgreSQL connection string: {exc}") from None
    millis = max(1, int(timeout * 1000))
    ours = (
        f"-c statement_timeout={millis} -c lock_timeout={millis} "
        "-c idle_in_transaction_session_timeout=10000"
    )
    options = str(params.get("options") or "")
    params["options"] = f"{options} {ours}".strip()
    # libpq's connect_timeout is whole seconds, at least 2.
    params.setdefault("connect_timeout", max(2, math.ceil(timeout)))
    params.setdefault("application_name", "cramp-relief")
    return make_conninfo("", **params)


def _reason(exc: BaseException) -> str:
    """psycopg's message (never a parameter value, so never a user id), on one line."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
