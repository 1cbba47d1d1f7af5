"""Fixtures: the app (verification on, with a dev CA made here), a client, and conversations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill import create_app
from skill.devca import DevCA, make_dev_ca
from skill.envelopes import DEFAULT_SKILL_ID, Conversation


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


class AlexaClient:
    """Posts envelopes to /alexa signed by the dev CA, as Alexa would, and carries the session."""

    def __init__(self, client: FlaskClient, ca: DevCA, locale: str = "en-US") -> None:
        self.client = client
        self.ca = ca
        self.conversation = Conversation(locale=locale)

    def post(
        self,
        envelope: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Any:
        raw = body if body is not None else json.dumps(envelope).encode()
        signed = {"Content-Type": "application/json; charset=utf-8", **self.ca.sign(raw)}
        return self.client.post("/alexa", data=raw, headers={**signed, **(headers or {})})

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Post, require a 200, and keep the session the response leaves open."""
        reply = self.post(envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        payload: dict[str, Any] = reply.get_json()
        self.conversation.receive(payload)
        return payload

    def launch(self, **kwargs: Any) -> dict[str, Any]:
        return self.send(self.conversation.launch(**kwargs))

    def intent(self, name: str, **slots: str) -> dict[str, Any]:
        from skill.envelopes import slot

        built = {key: slot(key, value) for key, value in slots.items()}
        return self.send(self.conversation.intent(name, built or None))


@pytest.fixture
def alexa(client: FlaskClient, dev_ca: DevCA) -> AlexaClient:
    return AlexaClient(client, dev_ca)


@pytest.fixture
def make_alexa(client: FlaskClient, dev_ca: DevCA) -> Callable[[str], AlexaClient]:
    return lambda locale: AlexaClient(client, dev_ca, locale)


def speech_of(payload: Mapping[str, Any]) -> str:
    """The SSML of a response's output speech ('' when there is none)."""
    output = (payload.get("response") or {}).get("outputSpeech") or {}
    ssml: str = output.get("ssml", "")
    return ssml


def now_utc() -> datetime:
    return datetime.now(UTC)
