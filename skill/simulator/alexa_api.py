"""An offline stand-in of Alexa's Reminders API and of the device settings API (time zone).

A real HTTPS server on 127.0.0.1 (the SDK's DefaultApiClient refuses plain HTTP), with a
certificate from a throwaway root written beside it, so the skill's own service clients run
unchanged against it. Tests, `cramp-relief simulate` and `serve --dev` start one; the core app
never imports it.

Fidelity: paths, methods, bodies and status codes are those of Amazon's Reminders API reference
and of ask-sdk-model's reminder_management and ups clients (their declared responses per
operation). Where the reference gives no detail the stand-in says so rather than inventing it:

- error bodies are `{"code": ..., "message": ...}` as the SDK's Error models declare, but the
  `code` strings here are the HTTP reason in capitals (the skill never reads them);
- permission: a token unknown to the stand-in gets 401; a known token without the reminders
  grant gets 403 on POST (the SDK declares no 401 for create) and 401 elsewhere (the SDK's
  description of 401: "customer does not have permission");
- one user per access token, as a skill sees it.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final
from zoneinfo import available_timezones

from flask import Flask, Response, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from skill.simulator.tls import LoopbackCertificate, loopback_certificate

REMINDERS_PATH: Final = "/v1/alerts/reminders"
TIME_ZONE_PATH: Final = "/v2/devices/<device_id>/settings/System.timeZone"
_TRIGGER_TYPES: Final = frozenset({"SCHEDULED_ABSOLUTE", "SCHEDULED_RELATIVE"})
_PUSH_STATUSES: Final = frozenset({"ENABLED", "DISABLED"})
# RFC 5545 parts the reference's recurrenceRules examples use.
_RULE_PART = re.compile(
    r"(FREQ=(DAILY|WEEKLY)|BYDAY=((MO|TU|WE|TH|FR|SA|SU),?)+|BYHOUR=\d{1,2}|BYMINUTE=\d{1,2}"
    r"|BYSECOND=\d{1,2}|INTERVAL=\d{1,3})"
)
_LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
_MAX_BODY = 16 * 1024


class _QuietHandler(WSGIRequestHandler):
    """No access log line per call: the stand-in's own `calls` list records them."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class _User:
    granted: bool
    reminders: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """One request the stand-in answered, for tests and the simulator's `:reminders`."""

    method: str
    path: str
    status: int


class AlexaApiStandIn:
    """The stand-in server; use as a context manager, or call start() and stop()."""

    def __init__(self, *, default_time_zone: str | None = "America/New_York") -> None:
        self.default_time_zone = default_time_zone
        self._lock = threading.Lock()
        self._users: dict[str, _User] = {}
        self._zones: dict[str, str | None] = {}
        self._failures: list[int] = []
        self._stalls: list[float] = []
        self.calls: list[Call] = []
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._cert: LoopbackCertificate | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> AlexaApiStandIn:
        self._folder = tempfile.TemporaryDirectory(prefix="cramp-relief-alexa-api-")
        self._cert = loopback_certificate(Path(self._folder.name))
        self._server = make_server(
            "127.0.0.1",
            0,
            _app(self),
            threaded=True,
            request_handler=_QuietHandler,
            ssl_context=self._cert.server_context(),
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="alexa-api-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._folder is not None:
            self._folder.cleanup()
        self._server = self._thread = self._folder = None

    def __enter__(self) -> AlexaApiStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        """What requests carry as context.System.apiEndpoint."""
        if self._server is None or self._cert is None:
            raise RuntimeError("the stand-in is not running")
        return f"https://{self._cert.host}:{self._server.server_port}"

    @property
    def ca_file(self) -> Path:
        """The PEM root the skill's API client must trust to reach the stand-in."""
        if self._cert is None:
            raise RuntimeError("the stand-in is not running")
        return self._cert.ca_file

    # -- what tests and the simulator arrange ------------------------------------------------

    def new_user(self, *, granted: bool = False) -> str:
        """A fresh apiAccessToken for one user, with or without the reminders permission."""
        token = "standin." + secrets.token_urlsafe(24)
        with self._lock:
            self._users[token] = _User(granted=granted)
        return token

    def grant(self, token: str, granted: bool = True) -> None:
        """Give (or withdraw) the reminders permission, as the Alexa app or a voice prompt does."""
        with self._lock:
            self._users[token].granted = granted

    def granted(self, token: str) -> bool:
        with self._lock:
            user = self._users.get(token)
            return user is not None and user.granted

    def reminders(self, token: str) -> list[dict[str, Any]]:
        """This user's reminders, as GET would return them."""
        with self._lock:
            user = self._users.get(token)
            return [dict(r) for r in user.reminders.values()] if user else []

    def delete_in_app(self, token: str, alert_token: str) -> None:
        """Remove a reminder behind the skill's back, as deleting it in the Alexa app does."""
        with self._lock:
            self._users[token].reminders.pop(alert_token, None)

    def set_time_zone(self, device_id: str, zone: str | None) -> None:
        """The device's time zone setting; None means the setting has no value (204)."""
        with self._lock:
            self._zones[device_id] = zone

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` calls with `status` (400, 401, 403, 404, 429, 500, 503...)."""
        with self._lock:
            self._failures.extend([status] * times)

    def stall_next(self, seconds: float) -> None:
        """Wait `seconds` before answering the next call (for the client's timeout)."""
        with self._lock:
            self._stalls.append(seconds)

    # -- the server side ---------------------------------------------------------------------

    def _take(self) -> tuple[int | None, float]:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            stall = self._stalls.pop(0) if self._stalls else 0.0
        return failure, stall

    def _user(self, authorization: str | None) -> tuple[str, _User] | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        token = authorization.removeprefix("Bearer ")
        with self._lock:
            user = self._users.get(token)
        return (token, user) if user is not None else None

    def _record(self, status: int) -> None:
        with self._lock:
            self.calls.append(Call(request.method, request.path, status))


def _error(status: int, message: str) -> Response:
    phrase = HTTPStatus(status).phrase.upper().replace(" ", "_").replace("-", "_")
    body = json.dumps({"code": phrase, "message": message})
    return Response(body, status=status, mimetype="application/json")


def _json(payload: object, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _answer(stand_in: AlexaApiStandIn, handler: Callable[[], Response]) -> Response:
    """Apply any arranged stall or failure, else the handler's answer."""
    failure, stall = stand_in._take()
    if stall:
        time.sleep(stall)
    if failure is not None:
        return _error(failure, "failure arranged by the test")
    return handler()


def _app(stand_in: AlexaApiStandIn) -> Flask:
    app = Flask("alexa_api_stand_in")

    @app.after_request
    def record(response: Response) -> Response:
        stand_in._record(response.status_code)
        return response

    @app.route(REMINDERS_PATH, methods=["POST", "GET"])
    def reminders() -> Response:
        return _answer(stand_in, lambda: _collection(stand_in))

    @app.route(f"{REMINDERS_PATH}/<alert_token>", methods=["GET", "PUT", "DELETE"])
    def reminder(alert_token: str) -> Response:
        return _answer(stand_in, lambda: _item(stand_in, alert_token))

    @app.route(TIME_ZONE_PATH, methods=["GET"])
    def time_zone(device_id: str) -> Response:
        return _answer(stand_in, lambda: _time_zone(stand_in, device_id))

    return app


def _authorised(stand_in: AlexaApiStandIn, *, creating: bool) -> tuple[str, _User] | Response:
    found = stand_in._user(request.headers.get("Authorization"))
    if found is None:
        return _error(401, "the access token is missing or not valid")
    if not found[1].granted:
        if creating:
            return _error(403, "the user has not granted alexa::alerts:reminders:skill:readwrite")
        return _error(401, "the user has not granted alexa::alerts:reminders:skill:readwrite")
    return found


def _collection(stand_in: AlexaApiStandIn) -> Response:
    found = _authorised(stand_in, creating=request.method == "POST")
    if isinstance(found, Response):
        return found
    token, user = found
    if request.method == "GET":
        alerts = stand_in.reminders(token)
        return _json({"totalCount": str(len(alerts)), "alerts": alerts, "links": None})
    body = _body()
    if isinstance(body, Response):
        return body
    alert_token = secrets.token_hex(16)
    now = _now_text()
    stored = {
        "alertToken": alert_token,
        "createdTime": now,
        "updatedTime": now,
        "status": "ON",
        "trigger": body["trigger"],
        "alertInfo": body["alertInfo"],
        "pushNotification": body.get("pushNotification", {"status": "ENABLED"}),
        "version": "1",
    }
    with stand_in._lock:
        user.reminders[alert_token] = stored
    return _json(_summary(stored))


def _item(stand_in: AlexaApiStandIn, alert_token: str) -> Response:
    found = _authorised(stand_in, creating=False)
    if isinstance(found, Response):
        return found
    _token, user = found
    with stand_in._lock:
        stored = user.reminders.get(alert_token)
    if stored is None:
        return _error(404, "no reminder with that alertToken")
    if request.method == "GET":
        return _json(stored)
    if request.method == "DELETE":
        with stand_in._lock:
            user.reminders.pop(alert_token, None)
        return Response(status=200)
    body = _body()
    if isinstance(body, Response):
        return body
    updated = {
        **stored,
        "trigger": body["trigger"],
        "alertInfo": body["alertInfo"],
        "pushNotification": body.get("pushNotification", stored["pushNotification"]),
        "updatedTime": _now_text(),
        "version": str(int(stored["version"]) + 1),
    }
    with stand_in._lock:
        user.reminders[alert_token] = updated
    return _json(_summary(updated))


def _summary(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The POST/PUT response: ask-sdk-model's ReminderResponse."""
    keys = ("alertToken", "createdTime", "updatedTime", "status", "version")
    return {
        **{k: stored[k] for k in keys},
        "href": f"{REMINDERS_PATH}/{stored['alertToken']}",
    }


def _time_zone(stand_in: AlexaApiStandIn, device_id: str) -> Response:
    if stand_in._user(request.headers.get("Authorization")) is None:
        return _error(401, "the access token is missing or not valid")
    with stand_in._lock:
        zone = stand_in._zones.get(device_id, stand_in.default_time_zone)
    if zone is None:
        return Response(status=204)
    return _json(zone)


def _body() -> dict[str, Any] | Response:
    """The reminder request body, checked against the reference's shape; else a 400."""
    if (request.content_length or 0) > _MAX_BODY:
        return _error(400, "body too large")
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
    except ValueError:
        return _error(400, "body is not JSON")
    problem = reminder_request_problem(body)
    return _error(400, problem) if problem else body


def reminder_request_problem(body: object) -> str | None:
    """What is wrong with a ReminderRequest body, or None when it has the documented shape."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    request_time = body.get("requestTime")
    if not isinstance(request_time, str) or not _LOCAL_TIME.fullmatch(request_time):
        return "requestTime must be a local ISO 8601 date-time without a zone"
    return _trigger_problem(body.get("trigger")) or _alert_problem(body)


def _trigger_problem(trigger: object) -> str | None:
    if not isinstance(trigger, dict) or trigger.get("type") not in _TRIGGER_TYPES:
        return "trigger.type must be SCHEDULED_ABSOLUTE or SCHEDULED_RELATIVE"
    if trigger["type"] == "SCHEDULED_RELATIVE":
        offset = trigger.get("offsetInSeconds")
        return None if isinstance(offset, int) and offset > 0 else "offsetInSeconds required"
    zone = trigger.get("timeZoneId")
    if zone is not None and zone not in _zones():
        return "timeZoneId is not a known time zone"
    recurrence = trigger.get("recurrence")
    if recurrence is None:
        scheduled = trigger.get("scheduledTime")
        ok = isinstance(scheduled, str) and _LOCAL_TIME.fullmatch(scheduled)
        return None if ok else "scheduledTime must be a local ISO 8601 date-time"
    if not isinstance(recurrence, dict):
        return "recurrence must be an object"
    rules = recurrence.get("recurrenceRules")
    if not isinstance(rules, list) or not rules:
        return "recurrence.recurrenceRules must be a non-empty list"
    for rule in rules:
        parts = rule.split(";") if isinstance(rule, str) else [""]
        if not parts[0].startswith("FREQ=") or not all(_RULE_PART.fullmatch(p) for p in parts):
            return f"recurrence rule not understood: {rule!r}"
    start = recurrence.get("startDateTime")
    if start is not None and not (isinstance(start, str) and _LOCAL_TIME.fullmatch(start)):
        return "recurrence.startDateTime must be a local ISO 8601 date-time"
    return None


def _alert_problem(body: Mapping[str, Any]) -> str | None:
    info = body.get("alertInfo")
    spoken = info.get("spokenInfo") if isinstance(info, dict) else None
    content = spoken.get("content") if isinstance(spoken, dict) else None
    if not isinstance(content, list) or not content:
        return "alertInfo.spokenInfo.content must be a non-empty list"
    for item in content:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("locale", "text")
        ):
            return "each spoken content needs a locale and a text"
    push = body.get("pushNotification")
    if push is not None and (
        not isinstance(push, dict) or push.get("status") not in _PUSH_STATUSES
    ):
        return "pushNotification.status must be ENABLED or DISABLED"
    return None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())
