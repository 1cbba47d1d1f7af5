"""The SQLite store on a broken database: missing, read-only, corrupt or locked, a clean error."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.storage import PersistenceError
from skill.storage.sqlite import SQLiteStore
from tests.helpers.sqlite_rows import SALT, SECRET_ID, envelope


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
