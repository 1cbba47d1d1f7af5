"""Helpers shared by the tests: a signed Alexa client that carries its session, and readers of
responses. Test modules import these from here, never from conftest or from each other."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask.testing import FlaskClient

from skill.devtools.devca import DevCA
from skill.envelopes import Conversation, slot


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
        built = {key: slot(key, value) for key, value in slots.items()}
        return self.send(self.conversation.intent(name, built or None))


def speech_of(payload: Mapping[str, Any]) -> str:
    """The SSML of a response's output speech ('' when there is none)."""
    output = (payload.get("response") or {}).get("outputSpeech") or {}
    ssml: str = output.get("ssml", "")
    return ssml
