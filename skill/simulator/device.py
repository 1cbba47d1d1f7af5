"""The device the simulator speaks through: an Echo-like speaker, its envelopes and its state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skill.envelopes import DEFAULT_SKILL_ID, Conversation


def _echo_interfaces() -> dict[str, Any]:
    # A screenless Echo reports AudioPlayer and nothing else.
    return {"AudioPlayer": {}}


@dataclass
class SimulatedDevice(Conversation):
    """A Conversation whose envelopes carry what a real speaker adds to context."""

    supported_interfaces: dict[str, Any] = field(default_factory=_echo_interfaces)

    def _system(self) -> dict[str, Any]:
        system = super()._system()
        system["device"]["supportedInterfaces"] = dict(self.supported_interfaces)
        return system

    def envelope(
        self,
        request: Mapping[str, Any],
        *,
        new_session: bool | None = None,
        when: datetime | None = None,
    ) -> dict[str, Any]:
        built = super().envelope(request, new_session=new_session, when=when)
        if "AudioPlayer" in self.supported_interfaces:
            # A device with an audio player always reports its state, even when idle.
            built["context"]["AudioPlayer"] = {"playerActivity": "IDLE"}
        return built

    def to_json(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "skillId": self.skill_id,
            "userId": self.user_id,
            "deviceId": self.device_id,
            "sessionId": self.session_id,
            "attributes": self.attributes,
            "supportedInterfaces": self.supported_interfaces,
        }

    @classmethod
    def from_json(cls, data: Any) -> SimulatedDevice:
        """Rebuild from to_json(); ValueError if `data` (client input on the web page) is off."""
        if not isinstance(data, dict):
            raise ValueError("device state must be an object")
        session_id = data.get("sessionId")
        return cls(
            locale=_text(data, "locale"),
            skill_id=_text(data, "skillId") if "skillId" in data else DEFAULT_SKILL_ID,
            user_id=_text(data, "userId"),
            device_id=_text(data, "deviceId"),
            session_id=None if session_id is None else _text(data, "sessionId"),
            attributes=_object(data, "attributes"),
            supported_interfaces=_object(data, "supportedInterfaces"),
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
