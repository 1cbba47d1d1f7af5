"""What the Alexa API stand-in holds: users and their reminders, device time zones, and the
failures and stalls a test arranged for the next calls. Thread-safe: the server answers each
call on its own thread.

An access token names its user and whether that user granted the reminders permission
(`standin.<user>.<reminders|none>`), as a real apiAccessToken encapsulates the permissions the
skill has: granting gives the next requests a new token. So a simulator in another process
(`simulate --url` against `serve --dev`) can speak for a user without asking the stand-in first.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Final

# Where the Reminders API lives under the apiEndpoint (ask-sdk's ReminderManagementServiceClient
# calls the same path on Amazon's).
REMINDERS_PATH: Final = "/v1/alerts/reminders"
_TOKEN = re.compile(r"standin\.([A-Za-z0-9_-]{8,64})\.(reminders|none)", re.ASCII)


def token_for(user: str, *, granted: bool) -> str:
    """The apiAccessToken of `user` (8 to 64 of A-Z a-z 0-9 _ -), with or without the grant."""
    token = f"standin.{user}.{'reminders' if granted else 'none'}"
    if not _TOKEN.fullmatch(token):
        raise ValueError("a stand-in user is 8 to 64 letters, digits, _ or -")
    return token


def read_token(token: str) -> tuple[str, bool] | None:
    """(user, granted) of a stand-in token, or None if it is not one."""
    match = _TOKEN.fullmatch(token)
    return (match[1], match[2] == "reminders") if match else None


@dataclass
class User:
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """One request the stand-in answered, for tests and the simulator's `:reminders`."""

    method: str
    path: str
    status: int


class StandInState:
    """The stand-in's data, and what tests and the simulator arrange in it."""

    def __init__(self, *, default_time_zone: str | None = "America/New_York") -> None:
        self.default_time_zone = default_time_zone
        self.lock = threading.Lock()
        self.users: dict[str, User] = {}
        self.zones: dict[str, str | None] = {}
        self.calls: list[Call] = []
        self._failures: list[int] = []
        self._stalls: list[float] = []

    # -- what tests and the simulator arrange ------------------------------------------------

    def new_user(self, *, granted: bool = False) -> str:
        """A fresh user's apiAccessToken, with or without the reminders permission."""
        return token_for(secrets.token_urlsafe(12).replace("-", "_"), granted=granted)

    @staticmethod
    def grant(token: str, granted: bool = True) -> str:
        """The same user's token once they have granted (or withdrawn) the permission."""
        read = read_token(token)
        if read is None:
            raise ValueError("not a stand-in token")
        return token_for(read[0], granted=granted)

    def reminders(self, token: str) -> list[dict[str, Any]]:
        """This user's reminders, as GET would return them."""
        read = read_token(token)
        with self.lock:
            user = self.users.get(read[0]) if read else None
            return [dict(r) for r in user.reminders.values()] if user else []

    def delete_in_app(self, token: str, alert_token: str) -> None:
        """Remove a reminder behind the skill's back, as deleting it in the Alexa app does."""
        read = read_token(token)
        with self.lock:
            user = self.users.get(read[0]) if read else None
            if user is not None:
                user.reminders.pop(alert_token, None)

    def set_time_zone(self, device_id: str, zone: str | None) -> None:
        """The device's time zone setting; None means the setting has no value (204)."""
        with self.lock:
            self.zones[device_id] = zone

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` calls with `status` (400, 401, 403, 404, 429, 500, 503...)."""
        with self.lock:
            self._failures.extend([status] * times)

    def stall_next(self, seconds: float) -> None:
        """Wait `seconds` before answering the next call (for the client's timeout)."""
        with self.lock:
            self._stalls.append(seconds)

    def take_arranged(self) -> tuple[int | None, float]:
        with self.lock:
            failure = self._failures.pop(0) if self._failures else None
            stall = self._stalls.pop(0) if self._stalls else 0.0
        return failure, stall

    def user_of(self, authorization: str | None) -> tuple[bool, User] | None:
        """(granted, the user) for an Authorization header, or None for no valid token."""
        if not authorization or not authorization.startswith("Bearer "):
            return None
        read = read_token(authorization.removeprefix("Bearer "))
        if read is None:
            return None
        with self.lock:
            user = self.users.setdefault(read[0], User())
        return read[1], user

    def record(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.calls.append(Call(method, path, status))
