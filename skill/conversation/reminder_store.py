"""The bedtime reminder's settings: kept in the persistent attributes, read back as client data.

Under REMINDER_KEY, the alertToken Alexa gave the reminder, its time and its time zone; the same
store (the SDK's persistence adapter) that keeps routine places. A row that does not check out is
no reminder at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.exceptions import AttributesManagerException

from skill.clock import ClockTime, known_zones
from skill.storage import PersistenceError

REMINDER_KEY: Final = "reminder"
# A yes that had Alexa ask for the permission: the time, in which session, and when. Kept in the
# store rather than the session attributes, which a Connections round trip need not carry back.
ASKED_KEY: Final = "reminderAsked"
# How long Alexa's permission question may take to come back answered.
ASK_WINDOW: Final = timedelta(minutes=5)
ALERT_TOKEN: Final = re.compile(r"[A-Za-z0-9._:=-]{1,256}", re.ASCII)
_MAX_ZONE: Final = 64
_UNAVAILABLE: Final = (PersistenceError, AttributesManagerException)


def valid_zone(value: object) -> str | None:
    return (
        value
        if isinstance(value, str) and len(value) <= _MAX_ZONE and value in known_zones()
        else None
    )


@dataclass(frozen=True)
class SavedReminder:
    alert_token: str
    time: ClockTime
    time_zone: str

    def to_json(self) -> dict[str, str]:
        return {
            "alertToken": self.alert_token,
            "time": self.time.text(),
            "timeZone": self.time_zone,
        }

    @classmethod
    def from_json(cls, raw: object) -> SavedReminder | None:
        """A saved reminder from untrusted data (a stored row), or None."""
        if not isinstance(raw, Mapping):
            return None
        token, time, zone = (
            raw.get("alertToken"),
            ClockTime.parse(raw.get("time")),
            raw.get("timeZone"),
        )
        if not isinstance(token, str) or not ALERT_TOKEN.fullmatch(token) or time is None:
            return None
        checked = valid_zone(zone)
        return None if checked is None else cls(token, time, checked)


class StoreUnavailable(Exception):
    """The persistent store could not be read or written."""


class ReminderStore:
    """The saved reminder in this user's persistent attributes."""

    def __init__(self, manager: AttributesManager) -> None:
        self._manager = manager

    def has_one(self) -> bool:
        """Whether a reminder is saved; a store that cannot be read counts as none."""
        try:
            return self.load() is not None
        except StoreUnavailable:
            return False

    def ask(self, time: ClockTime, session_id: str, now: datetime) -> None:
        """Remember that a yes in `session_id` asked for the permission to set `time`."""
        attributes = self._stored()
        attributes[ASKED_KEY] = {
            "time": time.text(),
            "session": _digest(session_id),
            "at": now.isoformat(),
        }
        self._write(attributes)

    def take_asked(self, session_id: str, now: datetime) -> ClockTime | None:
        """The time a yes in this same session asked about, within ASK_WINDOW; forgotten."""
        if not session_id:
            return None
        try:
            attributes = self._stored()
            raw = attributes.pop(ASKED_KEY, None)
            if raw is not None:
                self._write(attributes)
        except StoreUnavailable:
            return None
        if not isinstance(raw, Mapping) or raw.get("session") != _digest(session_id):
            return None
        at = raw.get("at")
        try:
            asked_at = datetime.fromisoformat(at) if isinstance(at, str) and len(at) < 64 else None
        except ValueError:
            asked_at = None
        if (
            asked_at is None
            or asked_at.tzinfo is None
            or not timedelta(0) <= now - asked_at <= ASK_WINDOW
        ):
            return None
        return ClockTime.parse(raw.get("time"))

    def load(self) -> SavedReminder | None:
        return SavedReminder.from_json(self._stored().get(REMINDER_KEY))

    def save(self, saved: SavedReminder | None) -> None:
        attributes = self._stored()
        if saved is None:
            if REMINDER_KEY not in attributes:
                return
            del attributes[REMINDER_KEY]
        else:
            attributes[REMINDER_KEY] = saved.to_json()
        self._write(attributes)

    def _write(self, attributes: dict[str, Any]) -> None:
        try:
            self._manager.persistent_attributes = attributes
            self._manager.save_persistent_attributes()
        except _UNAVAILABLE as err:
            raise StoreUnavailable(str(err)) from err

    def _stored(self) -> dict[str, Any]:
        try:
            attributes = self._manager.persistent_attributes
        except _UNAVAILABLE as err:
            raise StoreUnavailable(str(err)) from err
        return dict(attributes) if isinstance(attributes, Mapping) else {}


def _digest(session_id: str) -> str:
    # Only whether it is the same session matters; the id itself need not be kept.
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
