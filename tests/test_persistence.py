"""Tests for the SQLite persistence adapter and the salt file."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.session import Session
from ask_sdk_model.user import User

from skill.storage import PersistenceError
from skill.storage.salt import load_or_create_salt
from skill.storage.sqlite import SQLiteStore

SALT = bytes(range(32))
SECRET_ID = "amzn1.ask.account.SECRET-USER-ID-3f9a7c"


def envelope(user_id: str | None, *, via_session: bool = False) -> RequestEnvelope:
    """A request envelope carrying user_id in context.system.user (or only in session.user)."""
    if user_id is None:
        return RequestEnvelope()
    if via_session:
        return RequestEnvelope(session=Session(user=User(user_id=user_id)))
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


def user_hash(salt: bytes, user_id: str) -> str:
    return hashlib.sha256(salt + user_id.encode()).hexdigest()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "attributes.sqlite3"


@pytest.fixture
def adapter(db_path: Path) -> SQLiteStore:
    return SQLiteStore(db_path, SALT)


def rows(db_path: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return list(conn.execute("SELECT user_hash, attributes FROM users ORDER BY user_hash"))


# --- behaviour -----------------------------------------------------------------------------------


def test_round_trip(adapter: SQLiteStore) -> None:
    attrs: dict[str, object] = {"count": 3, "last": "calf", "nested": {"a": [1, 2.5, None, True]}}
    adapter.save_attributes(envelope("u1"), attrs)
    assert adapter.get_attributes(envelope("u1")) == attrs

    adapter.save_attributes(envelope("u1"), {"count": 4})
    assert adapter.get_attributes(envelope("u1")) == {"count": 4}


def test_unknown_user_reads_empty(adapter: SQLiteStore) -> None:
    assert adapter.get_attributes(envelope("nobody")) == {}


def test_users_are_isolated(adapter: SQLiteStore, db_path: Path) -> None:
    adapter.save_attributes(envelope("alice"), {"who": "alice"})
    adapter.save_attributes(envelope("bob"), {"who": "bob"})
    assert adapter.get_attributes(envelope("alice")) == {"who": "alice"}
    assert adapter.get_attributes(envelope("bob")) == {"who": "bob"}
    assert len(rows(db_path)) == 2


def test_delete(adapter: SQLiteStore) -> None:
    adapter.save_attributes(envelope("alice"), {"who": "alice"})
    adapter.save_attributes(envelope("bob"), {"who": "bob"})
    adapter.delete_attributes(envelope("alice"))
    assert adapter.get_attributes(envelope("alice")) == {}
    assert adapter.get_attributes(envelope("bob")) == {"who": "bob"}
    adapter.delete_attributes(envelope("alice"))  # deleting twice is fine


def test_session_user_is_the_fallback(adapter: SQLiteStore) -> None:
    adapter.save_attributes(envelope("u1", via_session=True), {"x": 1})
    assert adapter.get_attributes(envelope("u1")) == {"x": 1}


def test_no_user_id_is_a_no_op(adapter: SQLiteStore, db_path: Path) -> None:
    for env in (envelope(None), envelope(""), envelope("", via_session=True)):
        adapter.save_attributes(env, {"x": 1})
        assert adapter.get_attributes(env) == {}
        adapter.delete_attributes(env)
    assert not db_path.exists()


def test_rows_are_keyed_by_salted_sha256(db_path: Path) -> None:
    other_salt = bytes(range(100, 132))
    SQLiteStore(db_path, SALT).save_attributes(envelope("u1"), {"salt": 1})
    SQLiteStore(db_path, other_salt).save_attributes(envelope("u1"), {"salt": 2})
    assert dict(rows(db_path)) == {
        user_hash(SALT, "u1"): '{"salt":1}',
        user_hash(other_salt, "u1"): '{"salt":2}',
    }
    assert user_hash(SALT, "u1") != user_hash(other_salt, "u1")


def test_short_salt_is_rejected(db_path: Path) -> None:
    with pytest.raises(ValueError):
        SQLiteStore(db_path, b"")


def test_clear_user_id_never_reaches_disk(db_path: Path) -> None:
    adapter = SQLiteStore(db_path, SALT)
    adapter.save_attributes(envelope("warm-up"), {})
    # An extra open connection keeps SQLite from checkpointing and deleting the -wal file when the
    # adapter's connection closes, so the freshly written pages are still there to inspect.
    holder = sqlite3.connect(db_path)
    try:
        assert holder.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        holder.execute("SELECT count(*) FROM users").fetchone()
        adapter.save_attributes(envelope(SECRET_ID), {"note": "hello"})
        assert adapter.get_attributes(envelope(SECRET_ID)) == {"note": "hello"}

        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        files = sorted(db_path.parent.glob(db_path.name + "*"))
        assert db_path in files and wal in files
        for file in files:
            data = file.read_bytes()
            assert SECRET_ID.encode() not in data, file.name
            assert SECRET_ID.encode("utf-16-le") not in data, file.name
    finally:
        holder.close()
    assert user_hash(SALT, SECRET_ID) in dict(rows(db_path))


def test_database_file_is_private(adapter: SQLiteStore, db_path: Path) -> None:
    adapter.save_attributes(envelope("u1"), {})
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_unserialisable_attributes_raise_persistence_error(
    adapter: SQLiteStore,
) -> None:
    with pytest.raises(PersistenceError):
        adapter.save_attributes(envelope("u1"), {"s": {1, 2}})
    with pytest.raises(PersistenceError):
        adapter.save_attributes(envelope("u1"), {"n": float("nan")})


# --- untrusted rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored_sql",
    [
        "'not json at all'",
        "'{\"truncated\": '",
        "'[1, 2, 3]'",
        "'\"just a string\"'",
        "'null'",
        "'42'",
        "42",
        "x'7b2278223a22ff227d'",  # blob: {"x":"<0xff>"} (invalid UTF-8)
        "CAST(x'7b2278223a22ff227d' AS TEXT)",
        "'" + "[" * 100_000 + "'",  # deep enough to blow the json recursion limit
    ],
)
def test_corrupt_row_reads_as_empty(
    adapter: SQLiteStore,
    db_path: Path,
    stored_sql: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    adapter.save_attributes(envelope(SECRET_ID), {"ok": True})
    with contextlib.closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute(
            f"UPDATE users SET attributes = {stored_sql} WHERE user_hash = ?",
            (user_hash(SALT, SECRET_ID),),
        )
    with caplog.at_level(logging.WARNING, logger="skill.storage"):
        assert adapter.get_attributes(envelope(SECRET_ID)) == {}
    assert caplog.records, "a corrupt row should be logged"
    assert SECRET_ID not in caplog.text
    # The row is still writable afterwards.
    adapter.save_attributes(envelope(SECRET_ID), {"ok": True})
    assert adapter.get_attributes(envelope(SECRET_ID)) == {"ok": True}


# --- broken databases ----------------------------------------------------------------------------


def assert_all_calls_fail(adapter: SQLiteStore) -> None:
    env = envelope(SECRET_ID)
    calls = (
        lambda: adapter.get_attributes(env),
        lambda: adapter.save_attributes(env, {"x": 1}),
        lambda: adapter.delete_attributes(env),
    )
    for call in calls:
        with pytest.raises(PersistenceError) as info:
            call()
        assert SECRET_ID not in str(info.value)
        assert SECRET_ID not in repr(info.value.__cause__)


def test_missing_directory(tmp_path: Path) -> None:
    assert_all_calls_fail(SQLiteStore(tmp_path / "absent" / "db.sqlite3", SALT))


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x")
    assert_all_calls_fail(SQLiteStore(tmp_path / "plain-file" / "db.sqlite3", SALT))


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "ro"
    directory.mkdir()
    yield directory
    directory.chmod(0o755)  # let tmp_path clean-up remove it
    for child in directory.iterdir():
        child.chmod(0o644)


def skip_if_permissions_ignored(directory: Path) -> None:
    """Root (or CAP_DAC_OVERRIDE) writes through 0555; test_parent_is_a_file still covers it."""
    probe = directory / "probe"
    try:
        probe.write_text("x")
    except PermissionError:
        return
    probe.unlink()
    pytest.skip("directory permissions are not enforced for this user (running as root?)")


def test_read_only_directory(read_only_dir: Path) -> None:
    read_only_dir.chmod(0o555)
    skip_if_permissions_ignored(read_only_dir)
    assert_all_calls_fail(SQLiteStore(read_only_dir / "db.sqlite3", SALT))


def test_read_only_existing_database(read_only_dir: Path) -> None:
    path = read_only_dir / "db.sqlite3"
    SQLiteStore(path, SALT).save_attributes(envelope("u1"), {"x": 1})
    path.chmod(0o444)
    read_only_dir.chmod(0o555)
    skip_if_permissions_ignored(read_only_dir)
    with pytest.raises(PersistenceError):
        SQLiteStore(path, SALT).save_attributes(envelope("u1"), {"x": 2})


@pytest.mark.parametrize("size", [16, 4096, 65536])
def test_corrupt_database_file(db_path: Path, size: int) -> None:
    db_path.write_bytes(os.urandom(size))
    assert_all_calls_fail(SQLiteStore(db_path, SALT))


def test_database_corrupted_after_first_use(db_path: Path) -> None:
    adapter = SQLiteStore(db_path, SALT)
    adapter.save_attributes(envelope(SECRET_ID), {"x": 1})
    for leftover in db_path.parent.glob(db_path.name + "-*"):
        leftover.unlink()
    db_path.write_bytes(b"garbage" * 1000)
    assert_all_calls_fail(adapter)


def test_locked_database(adapter: SQLiteStore, db_path: Path) -> None:
    adapter.save_attributes(envelope("u1"), {"x": 1})
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        impatient = SQLiteStore(db_path, SALT, timeout=0.05)
        with pytest.raises(PersistenceError, match="locked"):
            impatient.save_attributes(envelope("u1"), {"x": 2})
        # WAL readers are not blocked by a writer.
        assert impatient.get_attributes(envelope("u1")) == {"x": 1}
    finally:
        blocker.close()


# --- salt file -----------------------------------------------------------------------------------


def test_salt_created_once_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "salt"
    salt = load_or_create_salt(path)
    assert len(salt) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == salt
    assert load_or_create_salt(path) == salt
    assert load_or_create_salt(tmp_path / "other-salt") != salt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-salt", "salt"]  # no temp files


def race_for_salt(path: Path, workers: int) -> list[bytes]:
    barrier = threading.Barrier(workers)
    results: list[bytes] = []

    def create() -> None:
        barrier.wait()
        results.append(load_or_create_salt(path))

    threads = [threading.Thread(target=create) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_salt_race_yields_one_salt(tmp_path: Path) -> None:
    # Threads race through the same filesystem calls as separate processes would.
    for attempt in range(20):
        path = tmp_path / f"salt-{attempt}"
        results = race_for_salt(path, workers=16)
        assert len(results) == 16
        assert set(results) == {path.read_bytes()}
    assert len(list(tmp_path.iterdir())) == 20  # and no temp files left behind


@pytest.mark.parametrize("content", [b"", b"short", bytes(33)])
def test_malformed_salt_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "salt"
    path.write_bytes(content)
    with pytest.raises(PersistenceError):
        load_or_create_salt(path)
    assert path.read_bytes() == content  # never overwritten


def test_salt_in_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(PersistenceError):
        load_or_create_salt(tmp_path / "absent" / "salt")
