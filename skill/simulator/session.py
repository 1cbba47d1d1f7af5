"""A whole conversation with the skill: each thing said, the request Alexa would send, the reply.

Alexa's own part of a conversation is played here too, following Amazon's documentation:
  * Silence while a session is open: Alexa speaks the reprompt and listens again; silence once
    more, and the session times out with a SessionEndedRequest (EXCEEDED_MAX_REPROMPTS).
  * "exit" or "quit" while a session is open: a SessionEndedRequest (USER_INITIATED), and no
    intent. ("stop" and "cancel" are intents the skill answers.)
  * A response with shouldEndSession true closes the session. Alexa sends NO SessionEndedRequest
    after that: the skill ended the session itself.
  * A reply that is not a valid response (an HTTP error, a refused signature, bad JSON): Alexa
    tells the user there was a problem and the session is over.
With no session open, something said that is not "open cramp relief" or "ask cramp relief ..." is
sent as if it had been ("ask cramp relief <what you said>"), so a test can start anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from flask import Flask

from skill.devtools.devca import DevCA
from skill.envelopes import DEFAULT_SKILL_ID, read_response
from skill.locales import DEFAULT_LOCALE
from skill.simulator import permission_prompt as permission
from skill.simulator.alexa_api_link import AlexaApiLink
from skill.simulator.device import SimulatedDevice
from skill.simulator.resolver import Resolution, Resolver, resolver_for
from skill.simulator.transport import AppTransport, HttpTransport, Transport, TransportError
from skill.simulator.turn import Exchange, Turn

STATE_VERSION: Final = 1
# What an Echo says when a skill's reply cannot be used.
ALEXA_ERROR_SPEECH: Final = "There was a problem with the requested skill's response."
_MAX_REPROMPT_CHARS: Final = 8000


class Simulator:
    """Drives a conversation: say(text) -> Turn, requests signed with a development CA.

    The state between turns (device, session, attributes, pending reprompt) round-trips through
    to_json()/from_json(), so a stateless web page can carry it from one request to the next.
    """

    def __init__(
        self,
        transport: Transport,
        ca: DevCA,
        *,
        locale: str = DEFAULT_LOCALE,
        skill_id: str = DEFAULT_SKILL_ID,
        device: SimulatedDevice | None = None,
        alexa_api: AlexaApiLink | None = None,
    ) -> None:
        self.device = device or SimulatedDevice(locale=locale, skill_id=skill_id)
        self.alexa_api = alexa_api  # the Alexa API stand-in; the device is a user of its own there
        if alexa_api is not None and device is None:
            alexa_api.enrol(self.device)
        self._asking: str | None = None  # an AskFor's token: what is said next answers it
        # LookupError here, at once, for a locale that has no interaction model.
        self.resolver: Resolver = resolver_for(self.device.locale)
        self.transport = transport
        self.ca = ca
        self._reprompt: str | None = None
        self._reprompted = False

    @classmethod
    def in_process(
        cls,
        app: Flask,
        ca: DevCA,
        *,
        locale: str = DEFAULT_LOCALE,
        skill_id: str = DEFAULT_SKILL_ID,
        alexa_api: AlexaApiLink | None = None,
    ) -> Simulator:
        """`app` in this process, through its test client, signing with `ca`.

        For the real signature check, build the app trusting `ca`:
        `create_app(skill.devtools.trust.in_process_config(ca))`.
        """
        return cls(AppTransport(app), ca, locale=locale, skill_id=skill_id, alexa_api=alexa_api)

    @classmethod
    def over_http(
        cls,
        url: str,
        ca: DevCA,
        *,
        locale: str = DEFAULT_LOCALE,
        skill_id: str = DEFAULT_SKILL_ID,
        timeout: float = 10.0,
        alexa_api: AlexaApiLink | None = None,
    ) -> Simulator:
        """A server at `url` that trusts `ca` (`cramp-relief serve --dev`)."""
        transport = HttpTransport(url, timeout)
        return cls(transport, ca, locale=locale, skill_id=skill_id, alexa_api=alexa_api)

    @classmethod
    def for_app(
        cls,
        app: Flask,
        *,
        ca: DevCA,
        locale: str = DEFAULT_LOCALE,
        state: object = None,
    ) -> Simulator:
        """A simulator talking to `app` itself, for a page the app serves under `serve --dev`.

        Signs with `ca`, the development CA the app trusts, already loaded (the simulator's page
        reads it from DEV_CA_DIR once, when it is registered: reading it takes a noticeable
        fraction of a second), and posts through the app's own test client: a request to the
        server's own URL could wait forever on a busy worker. `state` is a to_json() from an
        earlier request, or None to start afresh. RuntimeError unless the app runs with
        DEV_SIMULATOR; ValueError for a state that is not one.
        """
        if not app.config.get("DEV_SIMULATOR"):
            raise RuntimeError("the simulator is only for apps started with `serve --dev`")
        transport = AppTransport(app)
        link = AlexaApiLink.from_json(app.config.get("DEV_ALEXA_API"))  # never from the page
        if state is not None:
            return cls.from_json(state, transport, ca, link)
        skill_id = app.config.get("SKILL_ID") or DEFAULT_SKILL_ID
        return cls(transport, ca, locale=locale, skill_id=skill_id, alexa_api=link)

    @property
    def locale(self) -> str:
        return self.device.locale

    @property
    def session_open(self) -> bool:
        return self.device.session_id is not None

    def say(self, text: str) -> Turn:
        """Say `text` to the device (an empty string is silence) and return what happened."""
        resolution = self.resolver.resolve(text, skill_id=self.device.skill_id)
        if self._asking is not None:  # this answers Alexa's permission question
            envelope, status = permission.answer(self.device, text, self._asking, self.alexa_api)
            self._asking = None
            return self._exchange(text, resolution, envelope, f"Alexa took that as {status}.")
        if resolution.kind == "silence":
            return self._silence(text, resolution)
        if resolution.kind == "exit":
            if not self.session_open:
                return self._unsent(text, resolution, "No session is open: Alexa handles that.")
            return self._end(
                text,
                resolution,
                reason="USER_INITIATED",
                note="You ended the session: Alexa sends a SessionEndedRequest (USER_INITIATED).",
            )
        if resolution.kind == "launch":
            return self._exchange(text, resolution, self.device.launch(), None)
        assert resolution.intent is not None
        note = None
        new_session = resolution.new_session or not self.session_open
        if new_session and not resolution.new_session:
            invocation = self.resolver.invocation_name
            note = f'No session was open, so this went as "ask {invocation} {text.strip()}".'
        envelope = self.device.intent(
            resolution.intent, resolution.slots or None, new_session=new_session
        )
        return self._exchange(text, resolution, envelope, note)

    def touch(self, button: str) -> Turn:
        """Press `button` (what the document's SendEvent sends: back, next, stop) on the
        document on the screen: an Alexa.Presentation.APL.UserEvent to the skill."""
        said = f"(touches {button})"
        resolution = Resolution(kind="touch", intent=None, utterance=button)
        if self.device.shown is None:
            return self._unsent(said, resolution, "Nothing of the skill's is on the screen.")
        return self._exchange(said, resolution, self.device.user_event(button), None)

    def _silence(self, text: str, resolution: Resolution) -> Turn:
        if not self.session_open:
            return self._unsent(text, resolution, "Silence with no session open: nothing happens.")
        if self._reprompt is not None and not self._reprompted:
            self._reprompted = True
            return Turn.unsent(
                text,
                resolution,
                session_open=True,
                speech=self._reprompt,
                note="No answer: Alexa speaks the reprompt and listens again.",
            )
        return self._end(
            text,
            resolution,
            reason="EXCEEDED_MAX_REPROMPTS",
            note="Still no answer: the session times out with a SessionEndedRequest "
            "(EXCEEDED_MAX_REPROMPTS).",
        )

    def _unsent(self, text: str, resolution: Resolution, note: str) -> Turn:
        return Turn.unsent(text, resolution, session_open=self.session_open, note=note)

    def _close(self) -> None:
        self.device.session_id = None
        self.device.attributes = {}
        self._reprompt = None
        self._reprompted = False

    def _post(self, envelope: dict[str, Any]) -> Exchange:
        """Sign and send `envelope`; the reply, or why there is no usable one."""
        body = json.dumps(envelope).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", **self.ca.sign(body)}
        try:
            status, raw = self.transport.post(body, headers)
        except TransportError as error:
            return Exchange(request=envelope, status=None, response=None, error=str(error))
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        if status != 200:
            reason = payload.get("reason") if isinstance(payload, dict) else None
            why = f"HTTP {status}" + (f": {reason}" if reason else "")
            return Exchange(request=envelope, status=status, response=None, error=why)
        if not isinstance(payload, dict) or not isinstance(payload.get("response"), dict):
            why = "the reply is not a response envelope"
            return Exchange(request=envelope, status=status, response=None, error=why)
        return Exchange(request=envelope, status=status, response=payload)

    def _end(self, text: str, resolution: Resolution, *, reason: str, note: str) -> Turn:
        exchange = self._post(self.device.session_ended(reason))
        self._close()
        if exchange.response is not None and read_response(exchange.response).has_speech:
            note += " The skill answered it with speech, which Alexa ignores."
        return Turn.sent(text, resolution, exchange, session_open=False, note=note)

    def _exchange(
        self, text: str, resolution: Resolution, envelope: dict[str, Any], note: str | None
    ) -> Turn:
        exchange = self._post(envelope)
        if exchange.response is None:
            self._close()
            return Turn.sent(
                text, resolution, exchange, session_open=False, note=note, speech=ALEXA_ERROR_SPEECH
            )
        said = read_response(exchange.response)
        reprompt = said.reprompt
        self.device.receive(exchange.response)
        self._asking = permission.asked(exchange.response)
        if self._asking is not None:
            asked = permission.question(self.locale, self.resolver.invocation_name)
            return Turn.sent(text, resolution, exchange, session_open=True, **asked)
        self._reprompt = reprompt if self.session_open else None
        self._reprompted = False
        return Turn.sent(
            text,
            resolution,
            exchange,
            session_open=self.session_open,
            note=note,
            speech=said.text or "",
            reprompt=reprompt,
        )

    def to_json(self) -> dict[str, Any]:
        """Everything needed to carry on the conversation later (no keys, no transport)."""
        return {
            "version": STATE_VERSION,
            "device": self.device.to_json(),
            "reprompt": self._reprompt,
            "reprompted": self._reprompted,
            "asking": self._asking,
        }

    @classmethod
    def from_json(
        cls, data: object, transport: Transport, ca: DevCA, link: AlexaApiLink | None = None
    ) -> Simulator:
        """Carry on a conversation saved with to_json(); ValueError if `data` is not one."""
        if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
            raise ValueError("not a saved simulator state")
        device = SimulatedDevice.from_json(data.get("device"))
        reprompt, reprompted = data.get("reprompt"), data.get("reprompted", False)
        if reprompt is not None and (
            not isinstance(reprompt, str) or len(reprompt) > _MAX_REPROMPT_CHARS
        ):
            raise ValueError("reprompt must be a string")
        if not isinstance(reprompted, bool):
            raise ValueError("reprompted must be true or false")
        asking = permission.pending(data.get("asking"))
        try:
            simulator = cls(transport, ca, device=device, alexa_api=link)
        except LookupError as error:
            raise ValueError(str(error)) from error
        simulator._reprompt = reprompt if device.session_id is not None else None
        simulator._reprompted = reprompted
        simulator._asking = asking if device.session_id is not None else None
        return simulator
