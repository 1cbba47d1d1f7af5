"""Where the SQLite database lives: the instance folder by default, the setting as given."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from skill import create_app
from skill.storage import DATABASE_NAME, sqlite_path


def test_apps_made_in_tests_keep_their_database_in_the_test_folder(
    tmp_path: Path, temporary_database: Path
) -> None:
    """The autouse fixture: an app given no DATABASE does not open the checkout's instance/."""
    app = create_app({"TESTING": True, "VERIFY_REQUESTS": False})
    assert sqlite_path(app.config["DATABASE"], app.instance_path) == temporary_database
    assert temporary_database.parent == tmp_path


def test_default_database_is_in_the_instance_folder(tmp_path: Path) -> None:
    instance = str(tmp_path / "instance")
    assert sqlite_path(None, instance) == tmp_path / "instance" / DATABASE_NAME
    assert (tmp_path / "instance").is_dir()


def test_an_instance_folder_that_cannot_be_made_does_not_stop_the_app(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with caplog.at_level(logging.ERROR):
        instance = str(blocker / "instance")
        assert sqlite_path(None, instance) == blocker / "instance" / DATABASE_NAME
    assert "instance folder" in caplog.text


def test_database_setting_is_used_as_given(tmp_path: Path) -> None:
    instance = str(tmp_path / "instance")
    assert sqlite_path(str(tmp_path / "elsewhere.sqlite3"), instance) == (
        tmp_path / "elsewhere.sqlite3"
    )
    assert not (tmp_path / "instance").exists()
