"""The SQLite store: round trips, users apart and hashed, nothing clear on disk, corrupt rows."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from skill.storage import PersistenceError
from skill.storage.sqlite import SQLiteStore
from tests.helpers.sqlite_rows import SALT, SECRET_ID, envelope, user_hash


def rows(db_path: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return list(conn.execute("SELECT user_hash, attributes FROM users ORDER BY user_hash"))


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
