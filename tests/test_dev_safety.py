"""`serve --dev` is safe by default: loopback only unless asked, the simulator answers only to
its own host names, and the development CA is read once per process, not once per turn."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from skill.cli import main
from skill.commands import serve
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.devca import DevCA
from skill.devtools.trust import dev_server_config
from skill.locales import DEFAULT_LOCALE
from skill.simulator import web


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dev-ca")


@pytest.fixture(scope="module")
def folder_ca(ca_dir: Path) -> DevCA:
    return load_or_create_dev_ca(ca_dir)


def dev_app(folder_ca: DevCA, ca_dir: Path, **extra: Any) -> Flask:
    """The app as `serve --dev` builds it: the skill's app with the simulator's page."""
    config = {**dev_server_config(folder_ca, ca_dir), "TESTING": True, **extra}
    return serve.build_app(config, dev=True)


def test_dev_on_a_reachable_address_is_refused(ca_dir: Path) -> None:
    with pytest.raises(SystemExit, match="--dev-allow-remote"):
        main(["serve", "--dev", "--dev-ca", str(ca_dir), "--host", "0.0.0.0"])


def test_dev_allow_remote_says_why_it_is_dangerous(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(dev=True, host="0.0.0.0", dev_allow_remote=True)
    serve._refuse_remote_dev(args)
    err = capsys.readouterr().err
    assert "WARNING" in err
    assert "any user id" in err
    assert "development CA" in err


def test_dev_allow_remote_needs_dev() -> None:
    with pytest.raises(SystemExit, match="only used with --dev"):
        main(["serve", "--dev-allow-remote"])


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8080", "127.0.0.1.nip.io", "10.0.0.5"]
)
def test_the_simulator_refuses_other_host_names(folder_ca: DevCA, ca_dir: Path, host: str) -> None:
    client = dev_app(folder_ca, ca_dir).test_client()
    for reply in (
        client.get("/simulator/", headers={"Host": host}),
        client.post(
            "/simulator/say", json={"text": "hi", "locale": DEFAULT_LOCALE}, headers={"Host": host}
        ),
    ):
        assert reply.status_code == 400
        assert "own host name" in reply.get_json()["error"]


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost", "LOCALHOST:80", "[::1]:8080"])
def test_the_simulator_answers_to_loopback_names(folder_ca: DevCA, ca_dir: Path, host: str) -> None:
    client = dev_app(folder_ca, ca_dir).test_client()
    assert client.get("/simulator/", headers={"Host": host}).status_code == 200


def test_an_allowed_remote_name_is_served(folder_ca: DevCA, ca_dir: Path) -> None:
    app = dev_app(folder_ca, ca_dir, DEV_ALLOWED_HOSTS=["devbox.lan"])
    assert (
        app.test_client().get("/simulator/", headers={"Host": "devbox.lan:8080"}).status_code == 200
    )


def test_the_dev_ca_is_read_once_not_per_turn(
    folder_ca: DevCA, ca_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []

    def counting(directory: Path) -> DevCA:
        reads.append(directory)
        return load_or_create_dev_ca(directory)

    monkeypatch.setattr(web, "load_or_create_dev_ca", counting)
    client = dev_app(folder_ca, ca_dir).test_client()
    state = None
    for text in ("open cramp relief", "my calf", "no"):
        reply = client.post(
            "/simulator/say", json={"text": text, "locale": DEFAULT_LOCALE, "state": state}
        )
        assert reply.status_code == 200, reply.get_data(as_text=True)
        state = reply.get_json()["state"]
    assert reads == [ca_dir]


def test_the_simulator_reads_the_dev_ca_folder_in_one_place() -> None:
    # Simulator.for_app takes the CA the page loaded when it was registered; a second reader
    # of DEV_CA_DIR (as for_app once had, as a fallback) would read the folder on every turn.
    readers = sorted(
        path.name
        for path in Path(web.__file__).parent.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "skill.devtools.ca_folder"
    )
    assert readers == ["web.py"]
