"""What the Alexa API stand-in holds: users and their reminders, device time zones, and the
failures and stalls a test arranged for the next calls. Thread-safe: the server answers each
call on its own thread."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    granted: bool
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
        """A fresh apiAccessToken for one user, with or without the reminders permission."""
        token = "standin." + secrets.token_urlsafe(24)
        with self.lock:
            self.users[token] = User(granted=granted)
        return token

    def grant(self, token: str, granted: bool = True) -> None:
        """Give (or withdraw) the reminders permission, as the Alexa app or a voice prompt does."""
        with self.lock:
            self.users[token].granted = granted

    def granted(self, token: str) -> bool:
        with self.lock:
            user = self.users.get(token)
            return user is not None and user.granted

    def reminders(self, token: str) -> list[dict[str, Any]]:
        """This user's reminders, as GET would return them."""
        with self.lock:
            user = self.users.get(token)
            return [dict(r) for r in user.reminders.values()] if user else []

    def delete_in_app(self, token: str, alert_token: str) -> None:
        """Remove a reminder behind the skill's back, as deleting it in the Alexa app does."""
        with self.lock:
            self.users[token].reminders.pop(alert_token, None)

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

    def user_of(self, authorization: str | None) -> tuple[str, User] | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        token = authorization.removeprefix("Bearer ")
        with self.lock:
            user = self.users.get(token)
        return (token, user) if user is not None else None

    def record(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.calls.append(Call(method, path, status))
