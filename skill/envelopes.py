"""Realistic Alexa request envelopes, for tests and for the offline simulator, and the one reader
of what a response envelope says back (`read_response`).

The shapes follow Amazon's request JSON reference: version, session (with the attributes the
previous response returned), context.System (application, user, device with its supported
interfaces, apiEndpoint), and the request itself with requestId, timestamp and locale.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.entity_resolution import request_slot
from skill.locales import DEFAULT_LOCALE
from skill.speech import ssml_to_text

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
API_ENDPOINT = "https://api.amazonalexa.com"


def _id(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4()}"


def timestamp(when: datetime | None = None) -> str:
    """Alexa's timestamp format: ISO 8601 in UTC, seconds precision, with a Z."""
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot(
    name: str,
    value: str | None,
    *,
    value_id: str | None = None,
    canonical: str | None = None,
    slot_type: str | None = None,
    skill_id: str = DEFAULT_SKILL_ID,
) -> dict[str, Any]:
    """One slot; with `slot_type`, its entity resolution: a match for `value_id` if given."""
    matches = [] if value_id is None else [(value_id, canonical or value or value_id)]
    return request_slot(name, value, skill_id=skill_id, slot_type=slot_type, matches=matches)


@dataclass
class Conversation:
    """A device and user talking to the skill: one session at a time, attributes carried over."""

    locale: str = DEFAULT_LOCALE
    skill_id: str = DEFAULT_SKILL_ID
    user_id: str = field(default_factory=lambda: _id("amzn1.ask.account"))
    device_id: str = field(default_factory=lambda: _id("amzn1.ask.device"))
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # Where the skill reaches Alexa's APIs, and with what (the simulator points them at its
    # stand-in); `scopes` maps a permission scope to GRANTED or DENIED, as context.System.user.
    api_endpoint: str = API_ENDPOINT
    api_access_token: str = "dev-token"
    scopes: dict[str, str] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        """The context object every envelope carries: what the device reports about itself (a
        device that reports more, as SimulatedDevice does, adds to this one hook)."""
        return {"System": self._system()}

    def _system(self) -> dict[str, Any]:
        user: dict[str, Any] = {"userId": self.user_id}
        if self.scopes:
            user["permissions"] = {
                "scopes": {scope: {"status": status} for scope, status in self.scopes.items()}
            }
        return {
            "application": {"applicationId": self.skill_id},
            "user": user,
            "device": {
                "deviceId": self.device_id,
                "supportedInterfaces": {},
            },
            "apiEndpoint": self.api_endpoint,
            "apiAccessToken": self.api_access_token,
        }

    def envelope(
        self,
        request: Mapping[str, Any],
        *,
        new_session: bool | None = None,
        when: datetime | None = None,
    ) -> dict[str, Any]:
        """A full envelope around `request`, continuing the current session unless told not to."""
        starting = self.session_id is None if new_session is None else new_session
        if starting:
            self.session_id = _id("amzn1.echo-api.session")
            self.attributes = {}
        inner = {
            "requestId": _id("amzn1.echo-api.request"),
            "timestamp": timestamp(when),
            "locale": self.locale,
            **request,
        }
        built: dict[str, Any] = {
            "version": "1.0",
            "context": self.context(),
            "request": inner,
        }
        if inner.get("type") != "CanFulfillIntentRequest":
            built["session"] = {
                "new": starting,
                "sessionId": self.session_id,
                "application": {"applicationId": self.skill_id},
                "user": {"userId": self.user_id},
                "attributes": dict(self.attributes),
            }
        return built

    def launch(self, **kwargs: Any) -> dict[str, Any]:
        return self.envelope({"type": "LaunchRequest"}, new_session=True, **kwargs)

    def intent(
        self, name: str, slots: Mapping[str, Mapping[str, Any]] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        intent: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
        if slots:
            intent["slots"] = dict(slots)
        return self.envelope(
            {"type": "IntentRequest", "dialogState": "STARTED", "intent": intent}, **kwargs
        )

    def connections_response(
        self,
        name: str,
        payload: Mapping[str, Any],
        *,
        token: str = "",
        code: str = "200",
        message: str = "OK",
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The answer to a Connections.SendRequest directive, in the same session."""
        request = {
            "type": "Connections.Response",
            "name": name,
            "status": {"code": code, "message": message},
            "payload": dict(payload),
            "token": token,
        }
        return self.envelope(request, **kwargs)

    def session_ended(self, reason: str = "USER_INITIATED", **kwargs: Any) -> dict[str, Any]:
        built = self.envelope({"type": "SessionEndedRequest", "reason": reason}, **kwargs)
        self.session_id = None
        return built

    def can_fulfill(
        self, name: str, slots: Mapping[str, Mapping[str, Any]] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        intent: dict[str, Any] = {"name": name, "slots": dict(slots or {})}
        return self.envelope({"type": "CanFulfillIntentRequest", "intent": intent}, **kwargs)

    def receive(self, response_envelope: Mapping[str, Any]) -> None:
        """Take in the skill's answer: keep its attributes, or end the session it ended."""
        reading = read_response(response_envelope)
        # A Connections.SendRequest hands the session to Alexa's own dialog (a permission
        # question), which answers in the same session with a Connections.Response.
        if reading.session_open or reading.directives_of("Connections.SendRequest"):
            self.attributes = dict(response_envelope.get("sessionAttributes") or {})
        else:
            self.session_id = None
            self.attributes = {}


@dataclass(frozen=True)
class ResponseReading:
    """What a response envelope says: its speech and reprompt as SSML (None unless SSML) and as
    the words heard (SSML or PlainText; None when there is none), and whether the session stays
    open (only an explicit shouldEndSession false keeps it open)."""

    ssml: str | None
    text: str | None
    reprompt_ssml: str | None
    reprompt: str | None
    session_open: bool
    # An outputSpeech object was sent at all (Alexa ignores one answering SessionEndedRequest).
    has_speech: bool
    # The directives that are objects, in the order sent.
    directives: tuple[Mapping[str, Any], ...] = ()

    def directives_of(self, kind: str) -> list[Mapping[str, Any]]:
        """The directives of one type ("Alexa.Presentation.APL.RenderDocument"), in order."""
        return [d for d in self.directives if d.get("type") == kind]


def read_response(envelope: Mapping[str, Any] | None) -> ResponseReading:
    """Read a response envelope leniently: anything missing or malformed reads as None."""
    response = envelope.get("response") if isinstance(envelope, Mapping) else None
    response = response if isinstance(response, Mapping) else {}
    speech = response.get("outputSpeech")
    reprompt = response.get("reprompt")
    reprompt_speech = reprompt.get("outputSpeech") if isinstance(reprompt, Mapping) else None
    return ResponseReading(
        ssml=_ssml(speech),
        text=_words(speech),
        reprompt_ssml=_ssml(reprompt_speech),
        reprompt=_words(reprompt_speech),
        session_open=response.get("shouldEndSession") is False,
        has_speech=bool(speech),
        directives=tuple(d for d in _list(response.get("directives")) if isinstance(d, Mapping)),
    )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _ssml(output_speech: object) -> str | None:
    if not isinstance(output_speech, Mapping) or output_speech.get("type") != "SSML":
        return None
    ssml = output_speech.get("ssml")
    return ssml if isinstance(ssml, str) else None


def _words(output_speech: object) -> str | None:
    """The words of an outputSpeech object (SSML or PlainText), or None if there are none."""
    ssml = _ssml(output_speech)
    if ssml is not None:
        return ssml_to_text(ssml)
    text = output_speech.get("text") if isinstance(output_speech, Mapping) else None
    return text if isinstance(text, str) else None
