"""The PostgreSQL store's connection pool, one per process: psycopg_pool's, knowing when it is busy.

A wait for a connection that times out means one of two things: every connection is out with our
own requests (the server is fine, we are busy), or the pool had room and could not open one (the
server is not answering). psycopg_pool's `get_stats()` cannot tell them apart: its `pool_size`
counts the connections idle, handed out and still being opened alike, so a pool at `max_size`
with none `pool_available` may be waiting on a connect the server never answers. So this pool
also counts the connections it has handed out and not had back.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

__all__ = ["Pool", "open_pool"]


class Pool(ConnectionPool):
    """psycopg_pool's pool, counting the connections out with callers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._out = 0
        self._out_lock = threading.Lock()

    def getconn(self, timeout: float | None = None) -> psycopg.Connection[tuple[object, ...]]:
        conn = super().getconn(timeout)
        with self._out_lock:
            self._out += 1
        return conn

    def putconn(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        try:
            super().putconn(conn)
        finally:
            with self._out_lock:
                self._out -= 1

    def busy(self) -> bool:
        """Every connection the pool may open is out with a caller: a wait for one timed out
        because of our own load, not because the server did not answer a connect."""
        return self._out >= self.max_size


def open_pool(conninfo: str, *, size: int, timeout: float) -> Pool:
    """A pool for this process, opened in the background and closed when the process exits."""
    pid = os.getpid()
    pool = Pool(
        conninfo,
        kwargs={"autocommit": True},
        # Connections are opened when a request needs one, and kept (max_idle). With none kept
        # open regardless, the pool never retries in the background on a growing backoff while
        # the database is away: the first request after it is back connects at once.
        min_size=0,
        max_size=size,
        timeout=timeout,
        reconnect_timeout=timeout,
        num_workers=1,
        name=f"cramp-relief-{pid}",
        open=False,
    )
    pool.open(wait=False)
    # Closed at exit, or the interpreter's shutdown waits seconds for its thread.
    atexit.register(_close_at_exit, weakref.ref(pool), pid)
    return pool


def _close_at_exit(pool: weakref.ref[Pool], pid: int) -> None:
    """Close a pool when its own process exits; never in a forked child that inherited it."""
    alive = pool()
    if alive is not None and os.getpid() == pid and not alive.closed:
        alive.close(timeout=1.0)
