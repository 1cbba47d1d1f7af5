"""Fixtures: the app (verification on, with a dev CA made here), a client, and conversations;
the app as `serve --dev` makes it; a project folder to work in; a fake clock and a person
talking at its time; a SQLite store on a fixed salt; the shipped content, its renderer and the
voice budgets, read once per run."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bench.common import bench_ca
from skill import create_app
from skill.config import ENV_PREFIX
from skill.content import ContentStore
from skill.data import data_dir
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.devca import DevCA, make_dev_ca
from skill.devtools.devdb import MOTO_ENV, MotoServer, PostgresCluster, postgres_bin_dir, required
from skill.devtools.trust import dev_server_config
from skill.devtools.voice_catalog import Budgets, load_budgets
from skill.envelopes import DEFAULT_SKILL_ID
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.simulator import web
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.simulator.alexa_api_link import AlexaApiLink
from skill.speech import Renderer
from skill.storage.sqlite import SQLiteStore
from tests.helpers.alexa import AlexaClient
from tests.helpers.backends import Backend, DynamoBackend, PostgresBackend, SQLiteBackend
from tests.helpers.people import FakeClock, Person
from tests.helpers.sqlite_rows import SALT


@pytest.fixture(autouse=True)
def temporary_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every app a test makes, however it is made (create_app, the simulator, a `serve` child
    process), keeps its SQLite file in the test's own folder unless the test names one: never
    the checkout's instance/ folder, and never another test's file."""
    path = tmp_path / "default-database.sqlite3"
    monkeypatch.setenv(f"{ENV_PREFIX}_DATABASE", json.dumps(str(path)))
    return path


@pytest.fixture(scope="session")
def content_store() -> ContentStore:
    """The shipped content of every locale (read-only, so one for the whole run)."""
    return ContentStore(data_dir("responses"), DEFAULT_LOCALE, available_locales())


@pytest.fixture(scope="session")
def renderer(content_store: ContentStore) -> Renderer:
    return Renderer(content_store)


@pytest.fixture(scope="session")
def budgets() -> Budgets:
    """The voice budgets (docs/voice.md) every reply is held to."""
    return load_budgets()


@pytest.fixture(scope="session")
def ca() -> DevCA:
    """The verification tests' own CA, apart from dev_ca: they build leaf variants under it."""
    return make_dev_ca()


@pytest.fixture(scope="session")
def dev_ca() -> DevCA:
    """A root, intermediate and echo-api.amazon.com leaf, made once: key generation is slow."""
    return make_dev_ca()


@pytest.fixture(scope="module")
def server_workdir(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Path:
    """A folder for one module's served skill (bench.served.Server): its CA, database and logs."""
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(scope="module")
def server_ca(server_workdir: Path) -> DevCA:
    """The development CA the served skill trusts, kept in its folder, signing the tests'
    requests."""
    return bench_ca(server_workdir / "ca")


@pytest.fixture(scope="session")
def roots_file(dev_ca: DevCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roots") / "roots.pem"
    path.write_bytes(dev_ca.root_pem)
    return path


def _missing(what: str, variable: str) -> None:
    """Skip without a server's binaries; fail instead in CI, or when `variable` is set."""
    if required(variable):
        pytest.fail(f"{what} (CI=true or {variable} is set, so this fails rather than skips)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL cluster from Debian's packages for the run, on a Unix socket."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        _missing(
            "PostgreSQL is not installed (/usr/lib/postgresql/*/bin; apt-get install postgresql)",
            "REQUIRE_POSTGRES",
        )
        raise AssertionError("unreachable")
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """A new, empty database in the cluster, for one test."""
    return postgres_cluster.new_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """moto's standalone server on 127.0.0.1, with the dummy credentials it accepts."""
    saved = {key: os.environ.get(key) for key in MOTO_ENV}
    os.environ.update(MOTO_ENV)
    server = MotoServer()
    yield server
    server.remove()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def app_config(
    dev_ca: DevCA, roots_file: Path, tmp_path: Path, alexa_api: AlexaApiStandIn
) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SKILL_ID": DEFAULT_SKILL_ID,
        "TRUSTED_ROOTS": str(roots_file),
        "CERT_LOADER": dev_ca.loader,
        "DATABASE": str(tmp_path / "cramp-relief.sqlite3"),
        # Alexa's APIs are the offline stand-in's; each AlexaClient is a user of its own there.
        "ALEXA_API_ENDPOINTS": [alexa_api.endpoint],
        "ALEXA_API_CA_FILE": str(alexa_api.ca_file),
    }


def close_store(app: Flask) -> None:
    """Close the app's store (a PostgreSQL pool's connections and thread) once a test is done."""
    store = app.extensions["cramp_relief"].store
    if store is not None:
        store.close()


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_config)
    yield app
    close_store(app)


@pytest.fixture
def make_app(app_config: dict[str, Any]) -> Iterator[Callable[[], Flask]]:
    """More apps on the same settings (two hosts sharing one database), closed afterwards."""
    made: list[Flask] = []

    def make() -> Flask:
        made.append(create_app(app_config))
        return made[-1]

    yield make
    for app in made:
        close_store(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def alexa(client: FlaskClient, dev_ca: DevCA, alexa_api: AlexaApiStandIn) -> AlexaClient:
    return AlexaClient(client, dev_ca, alexa_api=alexa_api)


@pytest.fixture
def make_alexa(
    client: FlaskClient, dev_ca: DevCA, alexa_api: AlexaApiStandIn
) -> Callable[[str], AlexaClient]:
    return lambda locale: AlexaClient(client, dev_ca, locale, alexa_api=alexa_api)


@pytest.fixture(params=["sqlite", "postgresql", "dynamodb"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each backend in turn, fresh and empty: the persistence contract runs once per backend."""
    made: Backend
    if request.param == "sqlite":
        made = SQLiteBackend(tmp_path)
    elif request.param == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        made = PostgresBackend(cluster, request.getfixturevalue("postgres_url"))
    else:
        made = DynamoBackend(request.getfixturevalue("moto_server"))
    yield made
    made.close()


@pytest.fixture(scope="session")
def alexa_api() -> Iterator[AlexaApiStandIn]:
    """The offline Reminders/settings API stand-in on 127.0.0.1, one per test run; each test
    takes its own user (`new_user`), so tests never see each other's reminders."""
    with AlexaApiStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the working directory so the default --out lands in it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def dev_ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dev-ca")


@pytest.fixture(scope="session")
def folder_ca(dev_ca_dir: Path) -> DevCA:
    """The CA as `serve --dev` keeps it: in a folder, which the page's simulator reads too."""
    return load_or_create_dev_ca(dev_ca_dir)


@pytest.fixture
def dev_app(
    folder_ca: DevCA, dev_ca_dir: Path, tmp_path: Path, alexa_api: AlexaApiStandIn
) -> Flask:
    """The app exactly as `serve --dev` configures it, with its Alexa API stand-in."""
    config = dev_server_config(folder_ca, dev_ca_dir)
    config.update(AlexaApiLink(alexa_api.endpoint, str(alexa_api.ca_file)).app_config())
    app = create_app({**config, "TESTING": True, "DATABASE": str(tmp_path / "db.sqlite3")})
    return web.register(app)


@pytest.fixture
def clock() -> FakeClock:
    """The skill's clock for a test whose app_config sets CLOCK to it (resume, the stores)."""
    return FakeClock()


@pytest.fixture
def person(alexa: AlexaClient, clock: FakeClock) -> Person:
    """One user on one device, talking across sessions at the fake clock's time."""
    return Person(alexa, clock)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file (not made yet) for the SQLite store's own tests."""
    return tmp_path / "attributes.sqlite3"


@pytest.fixture
def adapter(db_path: Path) -> SQLiteStore:
    """The SQLite store on db_path, keyed with the tests' fixed salt."""
    return SQLiteStore(db_path, SALT)
