"""How the simulator reaches the Alexa API stand-in: its endpoint, the root it trusts, and the
stand-in's tokens (which name a user and their grant, so no call is needed to make one).

`cramp-relief serve --dev` runs the stand-in and writes this link into the development CA folder
it shares with `simulate --url`; the in-process simulator and the browser page get it directly.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from skill.envelopes import Conversation
from skill.simulator.alexa_api_state import REMINDERS_PATH, read_token, token_for

LINK_FILE: Final = "alexa-api.json"


@dataclass(frozen=True)
class AlexaApiLink:
    endpoint: str
    ca_file: str

    def app_config(self) -> dict[str, Any]:
        """Settings that make an app call the stand-in for Alexa's APIs."""
        return {
            "ALEXA_API_ENDPOINTS": [self.endpoint],
            "ALEXA_API_CA_FILE": self.ca_file,
            "DEV_ALEXA_API": {"endpoint": self.endpoint, "ca_file": self.ca_file},
        }

    def enrol(self, device: Conversation) -> None:
        """Make `device` a new user of the stand-in: its requests name it, with a fresh token."""
        device.api_endpoint = self.endpoint
        device.api_access_token = self.new_token()

    @staticmethod
    def new_token() -> str:
        """The apiAccessToken of a new user, without the reminders permission yet."""
        return token_for(secrets.token_urlsafe(12).replace("-", "_"), granted=False)

    @staticmethod
    def granted(token: str) -> str:
        """The same user's token once they granted the reminders permission."""
        read = read_token(token)
        return token_for(read[0], granted=True) if read else token

    def reminders(self, token: str) -> list[dict[str, Any]] | str:
        """The user's reminders as the Reminders API lists them, or why they cannot be read."""
        # Imported here: `serve --dev` builds a link in gunicorn's master, which must not load
        # urllib3 before its gevent workers patch ssl (see skill.alexa_api).
        import requests

        if read_token(token) is None:
            return "this device has no stand-in user"
        try:
            answer = requests.get(
                self.endpoint + REMINDERS_PATH,
                headers={"Authorization": f"Bearer {self.granted(token)}"},
                verify=self.ca_file,
                timeout=5,
            )
            alerts = answer.json().get("alerts") if answer.status_code == 200 else None
        except (requests.RequestException, ValueError, AttributeError) as error:
            return f"the stand-in did not answer: {error}"
        return (
            alerts if isinstance(alerts, list) else f"the stand-in said HTTP {answer.status_code}"
        )

    def publish(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / LINK_FILE).write_text(
            json.dumps({"endpoint": self.endpoint, "ca_file": self.ca_file}), "utf-8"
        )

    @classmethod
    def from_json(cls, data: object) -> AlexaApiLink | None:
        if not isinstance(data, dict):
            return None
        endpoint, ca_file = data.get("endpoint"), data.get("ca_file")
        if not isinstance(endpoint, str) or not isinstance(ca_file, str):
            return None
        return cls(endpoint, ca_file)

    @classmethod
    def read(cls, directory: Path) -> AlexaApiLink | None:
        """The link `serve --dev` published in `directory`, if it did."""
        try:
            return cls.from_json(json.loads((directory / LINK_FILE).read_text("utf-8")))
        except (OSError, ValueError):
            return None


def describe_reminder(reminder: dict[str, Any]) -> str:
    """One line for `:reminders`: when, where, what Alexa will say, and the push setting."""
    trigger = reminder.get("trigger") or {}
    rules = (trigger.get("recurrence") or {}).get("recurrenceRules") or []
    content = ((reminder.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or [{}]
    push = (reminder.get("pushNotification") or {}).get("status", "?")
    return (
        f"{' '.join(rules) or trigger.get('scheduledTime', '?')} in "
        f'{trigger.get("timeZoneId", "the device zone")}: "{content[0].get("text", "")}" '
        f"(status {reminder.get('status', '?')}, push notification {push})"
    )


def held_reminders(link: AlexaApiLink | None, token: str) -> tuple[list[str], str | None]:
    """What the stand-in holds for this user, a line each, and why it could not say, if so."""
    if link is None:
        return [], "No Alexa API stand-in is running for this conversation."
    found = link.reminders(token)
    if isinstance(found, str):
        return [], f"Could not read the reminders: {found}"
    return [describe_reminder(reminder) for reminder in found], None


def reminder_lines(link: AlexaApiLink | None, token: str) -> list[str]:
    """The reminders a line each, or one line saying why they could not be read."""
    lines, problem = held_reminders(link, token)
    return lines if problem is None else [problem]
