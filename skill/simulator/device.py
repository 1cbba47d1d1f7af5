"""The device the simulator speaks through: an Echo, with or without a screen, its envelopes and
its state. The models it can be (speaker, Echo Show 8, Echo Spot) are data, in devices.json."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

from skill.apl.directive import RENDER_DOCUMENT, USER_EVENT
from skill.envelopes import DEFAULT_SKILL_ID, Conversation, read_response

DEVICES_FILE: Final = Path(__file__).with_name("devices.json")
# Context keys a device with a screen adds beside System (the legacy single Viewport, and the list).
_SCREEN_KEYS: Final = ("Viewport", "Viewports")


@dataclass(frozen=True)
class DeviceProfile:
    """One model of Echo: its label and what it reports in a request's context."""

    name: str
    label: str
    supported_interfaces: Mapping[str, Any]
    screen: Mapping[str, Any]


@cache
def device_profiles() -> dict[str, DeviceProfile]:
    """The models in devices.json, by name, the default first."""
    data = json.loads(DEVICES_FILE.read_text(encoding="utf-8"))
    profiles = {
        name: DeviceProfile(
            name=name,
            label=str(entry["label"]),
            supported_interfaces=entry["supportedInterfaces"],
            screen={key: entry[key] for key in _SCREEN_KEYS if key in entry},
        )
        for name, entry in data["devices"].items()
    }
    default = data["default"]
    return {default: profiles[default], **profiles}


def default_device() -> DeviceProfile:
    return next(iter(device_profiles().values()))


def _echo_interfaces() -> dict[str, Any]:
    # A screenless Echo reports AudioPlayer and nothing else.
    return copy.deepcopy(dict(default_device().supported_interfaces))


@dataclass
class SimulatedDevice(Conversation):
    """A Conversation whose envelopes carry what a real speaker adds to context."""

    supported_interfaces: dict[str, Any] = field(default_factory=_echo_interfaces)
    # Viewport and Viewports for a device with a screen; empty for a speaker.
    screen: dict[str, Any] = field(default_factory=dict)
    # The token of the APL document on the screen now, if any: what a touch is sent to.
    shown: str | None = None

    def use(self, profile: DeviceProfile) -> None:
        """Become this model of Echo: its interfaces and its screen, from the next request on."""
        self.supported_interfaces = copy.deepcopy(dict(profile.supported_interfaces))
        self.screen = copy.deepcopy(dict(profile.screen))

    def context(self) -> dict[str, Any]:
        """As a Conversation's, with this model's interfaces, audio player state and screen."""
        context = super().context()
        context["System"]["device"]["supportedInterfaces"] = dict(self.supported_interfaces)
        if "AudioPlayer" in self.supported_interfaces:
            # A device with an audio player always reports its state, even when idle.
            context["AudioPlayer"] = {"playerActivity": "IDLE"}
        context.update(copy.deepcopy(self.screen))
        return context

    def receive(self, response_envelope: Mapping[str, Any]) -> None:
        """As a Conversation, and keep the token of the document the reply puts on the screen
        (a reply without one leaves the screen to Alexa: nothing of ours to touch)."""
        super().receive(response_envelope)
        tokens = [
            d.get("token") for d in read_response(response_envelope).directives_of(RENDER_DOCUMENT)
        ]
        self.shown = tokens[-1] if tokens and isinstance(tokens[-1], str) else None

    def user_event(self, argument: str) -> dict[str, Any]:
        """A touch on a button of the document on the screen, as Alexa sends it (SendEvent)."""
        event = {
            "type": USER_EVENT,
            "token": self.shown,
            "arguments": [argument],
            "source": {"type": "TouchWrapper", "handler": "Press", "id": ""},
            "components": {},
        }
        return self.envelope(event)

    def to_json(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "skillId": self.skill_id,
            "userId": self.user_id,
            "deviceId": self.device_id,
            "sessionId": self.session_id,
            "attributes": self.attributes,
            "supportedInterfaces": self.supported_interfaces,
            "screen": self.screen,
            "shown": self.shown,
            "apiEndpoint": self.api_endpoint,
            "apiAccessToken": self.api_access_token,
            "scopes": self.scopes,
        }

    @classmethod
    def from_json(cls, data: Any) -> SimulatedDevice:
        """Rebuild from to_json(); ValueError if `data` (client input on the web page) is off."""
        if not isinstance(data, dict):
            raise ValueError("device state must be an object")
        session_id = data.get("sessionId")
        scopes = _object(data, "scopes")
        if not all(isinstance(v, str) and len(v) < 16 for v in scopes.values()) or len(scopes) > 4:
            raise ValueError("device state scopes must map a scope to GRANTED or DENIED")
        return cls(
            locale=_text(data, "locale"),
            skill_id=_text(data, "skillId") if "skillId" in data else DEFAULT_SKILL_ID,
            user_id=_text(data, "userId"),
            device_id=_text(data, "deviceId"),
            session_id=None if session_id is None else _text(data, "sessionId"),
            attributes=_object(data, "attributes"),
            supported_interfaces=_object(data, "supportedInterfaces"),
            screen=_screen(data),
            shown=None if data.get("shown") is None else _text(data, "shown"),
            **({"api_endpoint": _text(data, "apiEndpoint")} if "apiEndpoint" in data else {}),
            **(
                {"api_access_token": _text(data, "apiAccessToken")}
                if "apiAccessToken" in data
                else {}
            ),
            scopes=scopes,
        )


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value or len(value) > 512:
        raise ValueError(f"device state {key} must be a non-empty string")
    return value


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"device state {key} must be an object")
    return value


def _screen(data: dict[str, Any]) -> dict[str, Any]:
    screen = _object(data, "screen")
    if set(screen) - set(_SCREEN_KEYS):
        raise ValueError(f"device state screen may only hold {', '.join(_SCREEN_KEYS)}")
    return screen
