"""What only PostgreSQL has: a row lock held elsewhere, a pool per process across fork, a newer
schema beside us, and connection strings with passwords."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import psycopg.conninfo
import pytest
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User
from psycopg_pool import PoolTimeout

from skill.devtools.devdb import PostgresCluster
from skill.storage import PersistenceError
from skill.storage.base import hash_user
from skill.storage.postgres import PostgresStore


def envelope(user_id: str) -> RequestEnvelope:
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresStore]:
    made = PostgresStore(postgres_url, timeout=0.5)
    yield made
    made.close()


def test_a_locked_row_costs_a_bounded_wait(store: PostgresStore, postgres_url: str) -> None:
    store.save_attributes(envelope("u"), {"x": 1})
    with psycopg.connect(postgres_url) as holder:  # a transaction holding the row's lock
        holder.execute(
            "SELECT 1 FROM cramp_relief_users WHERE user_hash = %s FOR UPDATE",
            (hash_user(store.salt(), "u"),),
        )
        started = time.monotonic()
        with pytest.raises(PersistenceError, match=r"QueryCanceled|LockNotAvailable"):
            store.save_attributes(envelope("u"), {"x": 2})
        assert time.monotonic() - started < 1.5
        # Reads are not blocked by the lock, and the server answered: no pause after it.
        assert store.get_attributes(envelope("u")) == {"x": 1}
    store.save_attributes(envelope("u"), {"x": 3})
    assert store.get_attributes(envelope("u")) == {"x": 3}


def test_a_forked_child_opens_its_own_pool(store: PostgresStore) -> None:
    store.save_attributes(envelope("parent"), {"who": "parent"})
    pid = os.fork()
    if pid == 0:  # the child: as a gunicorn worker after the fork
        code = 1
        try:
            store.save_attributes(envelope("child"), {"who": "child"})
            code = 0 if store.get_attributes(envelope("parent")) == {"who": "parent"} else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # The parent's connections were not touched by the child.
    assert store.get_attributes(envelope("child")) == {"who": "child"}


def test_a_newer_schema_is_used_and_logged(
    store: PostgresStore, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store.migrate()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE cramp_relief_schema SET version = 99")
    newer = PostgresStore(postgres_url)
    try:
        with caplog.at_level(logging.WARNING, logger="skill.storage"):
            newer.save_attributes(envelope("u"), {"x": 1})
        assert "newer than this release" in caplog.text
        assert newer.get_attributes(envelope("u")) == {"x": 1}
    finally:
        newer.close()


def test_describe_never_shows_a_password() -> None:
    store = PostgresStore("postgresql://app:s3cret@db.example:5433/cramp")
    assert store.describe() == "postgresql host=db.example port=5433 dbname=cramp user=app"


def test_our_timeouts_join_the_server_options(postgres_url: str) -> None:
    store = PostgresStore(postgres_url + "&options=-c%20work_mem%3D8MB", timeout=0.25)
    try:
        store.migrate()

        def settings(conn: psycopg.Connection[tuple[object, ...]]) -> object:
            return conn.execute(
                "SELECT current_setting('statement_timeout'), current_setting('work_mem')"
            ).fetchone()

        assert store._run("read settings", settings) == ("250ms", "8MB")
    finally:
        store.close()


@contextlib.contextmanager
def frozen_backends(postgres_url: str) -> Iterator[list[int]]:
    """Stop (SIGSTOP) every server process serving the test's database, as a server that hangs
    without closing anything would; start them again on the way out."""
    dbname = psycopg.conninfo.conninfo_to_dict(postgres_url)["dbname"]
    with psycopg.connect(postgres_url.replace(f"/{dbname}?", "/postgres?")) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (dbname,)
        ).fetchall()
    pids = [int(row[0]) for row in rows]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield pids
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def test_a_server_that_stops_answering_is_cut_off_at_the_deadline(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, timeout=0.5, pool_size=1)
    try:
        store.save_attributes(envelope("u"), {"x": 1})  # the pool's one connection, now idle
        outcome: list[BaseException | None] = []

        def read() -> None:
            try:
                store.get_attributes(envelope("u"))
                outcome.append(None)
            except BaseException as error:  # handed to the test thread
                outcome.append(error)

        with frozen_backends(postgres_url) as pids:
            assert pids
            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            # Without the deadline the read waits for as long as the server sleeps.
            reader.join(timeout=10)
            assert not reader.is_alive(), "the read is still waiting on a stopped server"
        assert len(outcome) == 1 and isinstance(outcome[0], PersistenceError)
        assert "no answer in 1.5 s" in str(outcome[0])
        with pytest.raises(PersistenceError, match="failed a moment ago"):
            store.get_attributes(envelope("u"))  # the pause: nobody else waits on it meanwhile
        time.sleep(1.1)  # the pause after a failure
        assert store.get_attributes(envelope("u")) == {"x": 1}  # a new connection, served
    finally:
        store.close()


# --- the pause after a failure: only for a server that does not answer ------------------------


def held_connections(
    store: PostgresStore, count: int
) -> tuple[threading.Event, list[threading.Thread]]:
    """`count` threads each holding one of the store's connections (as slow requests would)
    until the event is set."""
    release = threading.Event()
    holding = threading.Barrier(count + 1)

    def hold(conn: psycopg.Connection[tuple[object, ...]]) -> None:
        holding.wait(timeout=10)
        release.wait(timeout=10)

    threads = [
        threading.Thread(target=store._run, args=("hold a connection", hold), daemon=True)
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    holding.wait(timeout=10)
    return release, threads


def test_a_pool_busy_with_our_own_requests_does_not_pause_the_store(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, timeout=0.5, pool_size=2)
    try:
        store.migrate()
        release, holders = held_connections(store, 2)
        try:
            with pytest.raises(PersistenceError, match="pool busy") as info:
                store.save_attributes(envelope("u"), {"x": 1})
            assert isinstance(info.value.__cause__, PoolTimeout)
        finally:
            release.set()
            for holder in holders:
                holder.join(timeout=10)
        # At once, not after the pause: the server was answering all along.
        store.save_attributes(envelope("u"), {"x": 2})
        assert store.get_attributes(envelope("u")) == {"x": 2}
    finally:
        store.close()


def test_a_cancelled_statement_does_not_pause_the_store(store: PostgresStore) -> None:
    store.save_attributes(envelope("u"), {"x": 1})
    started = time.monotonic()
    with pytest.raises(PersistenceError, match="QueryCanceled"):
        store._run("sleep", lambda conn: conn.execute("SELECT pg_sleep(5)"))
    assert time.monotonic() - started < 1.5
    store.save_attributes(envelope("u"), {"x": 2})
    assert store.get_attributes(envelope("u")) == {"x": 2}


def test_a_server_that_cannot_be_reached_pauses_the_store(tmp_path: Path) -> None:
    store = PostgresStore(f"postgresql:///nothing?host={tmp_path}", timeout=0.3)
    try:
        with pytest.raises(PersistenceError, match="unreachable"):
            store.save_attributes(envelope("u"), {"x": 1})
        started = time.monotonic()
        with pytest.raises(PersistenceError, match="failed a moment ago"):
            store.get_attributes(envelope("u"))
        assert time.monotonic() - started < 0.1  # the pause: no second wait
    finally:
        store.close()


@contextlib.contextmanager
def frozen_postmaster(cluster: PostgresCluster) -> Iterator[None]:
    """Stop (SIGSTOP) the server's postmaster: a new connection is accepted by the kernel and then
    never answered, as behind a network that drops packets."""
    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def test_a_connection_never_answered_pauses_even_a_one_connection_pool(
    postgres_cluster: PostgresCluster, postgres_url: str
) -> None:
    # The pool counts a connection still being opened in its size: full, nothing available,
    # yet nothing of ours holds it. That is a server not answering, not a busy pool.
    store = PostgresStore(postgres_url, timeout=0.3, pool_size=1)
    try:
        store.migrate()
        with frozen_postmaster(postgres_cluster):
            with pytest.raises(PersistenceError, match="unreachable"):
                store.save_attributes(envelope("u"), {"x": 1})
            with pytest.raises(PersistenceError, match="failed a moment ago"):
                store.get_attributes(envelope("u"))
    finally:
        store.close()
