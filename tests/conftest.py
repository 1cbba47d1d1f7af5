"""Fixtures: the app (verification on, with a dev CA made here), a client, and conversations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill import create_app
from skill.config import ENV_PREFIX
from skill.devtools.devca import DevCA, make_dev_ca
from skill.envelopes import DEFAULT_SKILL_ID
from tests.helpers import AlexaClient


@pytest.fixture(autouse=True)
def temporary_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every app a test makes, however it is made (create_app, the simulator, a `serve` child
    process), keeps its SQLite file in the test's own folder unless the test names one: never
    the checkout's instance/ folder, and never another test's file."""
    path = tmp_path / "default-database.sqlite3"
    monkeypatch.setenv(f"{ENV_PREFIX}_DATABASE", json.dumps(str(path)))
    return path


@pytest.fixture(scope="session")
def dev_ca() -> DevCA:
    """A root, intermediate and echo-api.amazon.com leaf, made once: key generation is slow."""
    return make_dev_ca()


@pytest.fixture(scope="session")
def roots_file(dev_ca: DevCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roots") / "roots.pem"
    path.write_bytes(dev_ca.root_pem)
    return path


@pytest.fixture
def app_config(dev_ca: DevCA, roots_file: Path, tmp_path: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SKILL_ID": DEFAULT_SKILL_ID,
        "TRUSTED_ROOTS": str(roots_file),
        "CERT_LOADER": dev_ca.loader,
        "DATABASE": str(tmp_path / "cramp-relief.sqlite3"),
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    yield create_app(app_config)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def alexa(client: FlaskClient, dev_ca: DevCA) -> AlexaClient:
    return AlexaClient(client, dev_ca)


@pytest.fixture
def make_alexa(client: FlaskClient, dev_ca: DevCA) -> Callable[[str], AlexaClient]:
    return lambda locale: AlexaClient(client, dev_ca, locale)
