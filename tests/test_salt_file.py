"""The salt file: made once, private, shared by racing workers, never overwritten when malformed."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from skill.storage import PersistenceError
from skill.storage.salt import load_or_create_salt


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
