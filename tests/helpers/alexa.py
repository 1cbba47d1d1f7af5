"""The Alexa side of a test: a client that signs envelopes as Alexa would and carries the
session, and readers of the responses it gets back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask.testing import FlaskClient

from skill.alexa_api import REMINDERS_SCOPE
from skill.devtools.devca import DevCA
from skill.envelopes import Conversation, read_response, slot
from skill.locales import DEFAULT_LOCALE
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.speech import ssml_to_text


class AlexaClient:
    """Posts envelopes to /alexa signed by the dev CA, as Alexa would, and carries the session."""

    def __init__(
        self,
        client: FlaskClient,
        ca: DevCA,
        locale: str = DEFAULT_LOCALE,
        *,
        alexa_api: AlexaApiStandIn | None = None,
    ) -> None:
        self.client = client
        self.ca = ca
        self.conversation = Conversation(locale=locale)
        self.alexa_api = alexa_api
        if alexa_api is not None:
            # A user of the stand-in, without the reminders permission until granted.
            self.conversation.api_endpoint = alexa_api.endpoint
            self.conversation.api_access_token = alexa_api.new_user()

    def grant_reminders(self, granted: bool = True) -> None:
        """The user grants (or withdraws) the reminders permission, as the Alexa app records it:
        the next requests carry the scope's status and a token that has (or lacks) it."""
        assert self.alexa_api is not None
        token = self.conversation.api_access_token
        self.conversation.api_access_token = self.alexa_api.grant(token, granted)
        self.conversation.scopes[REMINDERS_SCOPE] = "GRANTED" if granted else "DENIED"

    def reminders(self) -> list[dict[str, Any]]:
        """This user's reminders in the stand-in."""
        assert self.alexa_api is not None
        return self.alexa_api.reminders(self.conversation.api_access_token)

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
    return read_response(payload).ssml or ""


def text_of(payload: Mapping[str, Any]) -> str:
    return ssml_to_text(speech_of(payload))


def is_open(payload: Mapping[str, Any]) -> bool:
    """Whether the response leaves the session open."""
    return read_response(payload).session_open
