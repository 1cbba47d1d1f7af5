"""`cramp-relief db migrate` and `db check`, against each backend; and migrations racing."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli import main
from skill.devtools.devdb import PostgresCluster
from skill.storage import open_store
from tests.helpers.backends import Backend


def test_migrate_then_check(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "migrate", "--database", backend.url]) == 0
    assert main(["db", "migrate", "--database", backend.url]) == 0  # idempotent
    assert main(["db", "check", "--database", backend.url]) == 0
    out = capsys.readouterr().out
    assert backend.name in out and "reachable" in out


def test_check_an_empty_postgres_database_says_migrate(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "check", "--database", postgres_url]) == 1
    assert "db migrate" in capsys.readouterr().err


def test_check_an_unreachable_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql:///x?host={tmp_path}&connect_timeout=2"
    assert main(["db", "check", "--database", url]) == 1
    assert "No such file or directory" in capsys.readouterr().err


@pytest.mark.parametrize("setting", ["mysql://h/db", "sqlite://relative", "dynamodb://?region=x"])
def test_a_setting_naming_no_backend(setting: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "check", "--database", setting]) == 1
    assert capsys.readouterr().err.startswith("cramp-relief db check: ")


def test_the_database_setting_comes_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "from-env.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "skill.cli", "db", "migrate"],
        env={"CRAMP_RELIEF_DATABASE": f'"{path}"', "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert path.exists()


def _migrate(url: str, barrier: object) -> None:
    store = open_store(url, "/nonexistent", timeout=10.0)
    barrier.wait()  # type: ignore[attr-defined]
    store.migrate()
    store.close()


def test_hosts_starting_together_migrate_once(
    postgres_cluster: PostgresCluster, postgres_url: str
) -> None:
    # fork: each child opens its own store after the fork, as a gunicorn worker does, and
    # starts in milliseconds rather than importing everything again.
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(3)
    procs = [ctx.Process(target=_migrate, args=(postgres_url, barrier)) for _ in range(3)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
    assert [proc.exitcode for proc in procs] == [0] * 3
    dbname = postgres_url.split("///", 1)[1].split("?", 1)[0]
    assert postgres_cluster.sql("SELECT version FROM cramp_relief_schema", dbname) == "1"
    assert postgres_cluster.sql("SELECT count(*) FROM cramp_relief_salt", dbname) == "1"
