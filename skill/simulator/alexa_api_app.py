"""The stand-in's HTTP routes: the Reminders API and the device time zone setting."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from types import MappingProxyType
from typing import Any, Final

from flask import Flask, Response, request

from skill.simulator.alexa_api_state import REMINDERS_PATH, StandInState, User
from skill.simulator.reminder_shapes import reminder_request_problem

TIME_ZONE_PATH: Final = "/v2/devices/<device_id>/settings/System.timeZone"
SETTINGS_PREFIX: Final = "/v2/devices/"
_MAX_BODY: Final = 16 * 1024


# The settings API's errors carry one of ask-sdk-model's ups ErrorCode values.
_SETTINGS_CODES: Final = MappingProxyType(
    {400: "INVALID_VALUE", 401: "INVALID_TOKEN", 403: "INVALID_TOKEN"}
)


def _error(status: int, message: str) -> Response:
    if request.path.startswith(SETTINGS_PREFIX):
        code = _SETTINGS_CODES.get(status, "UNKNOWN_ERROR")
    else:
        code = HTTPStatus(status).phrase.upper().replace(" ", "_").replace("-", "_")
    body = json.dumps({"code": code, "message": message})
    return Response(body, status=status, mimetype="application/json")


def _json(payload: object, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _answer(stand_in: StandInState, handler: Callable[[], Response]) -> Response:
    """Apply any arranged stall or failure, else the handler's answer."""
    failure, stall = stand_in.take_arranged()
    if stall:
        time.sleep(stall)
    if failure is not None:
        return _error(failure, "failure arranged by the test")
    return handler()


def stand_in_app(stand_in: StandInState) -> Flask:
    app = Flask("alexa_api_stand_in")

    @app.after_request
    def record(response: Response) -> Response:
        stand_in.record(request.method, request.path, response.status_code)
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


def _authorised(stand_in: StandInState, *, creating: bool) -> User | Response:
    found = stand_in.user_of(request.headers.get("Authorization"))
    if found is None:
        return _error(401, "the access token is missing or not valid")
    granted, user = found
    if not granted:
        if creating:
            return _error(403, "the user has not granted alexa::alerts:reminders:skill:readwrite")
        return _error(401, "the user has not granted alexa::alerts:reminders:skill:readwrite")
    return user


def _collection(stand_in: StandInState) -> Response:
    found = _authorised(stand_in, creating=request.method == "POST")
    if isinstance(found, Response):
        return found
    user = found
    if request.method == "GET":
        with stand_in.lock:
            alerts = [dict(r) for r in user.reminders.values()]
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
    with stand_in.lock:
        user.reminders[alert_token] = stored
    return _json(_summary(stored))


def _item(stand_in: StandInState, alert_token: str) -> Response:
    found = _authorised(stand_in, creating=False)
    if isinstance(found, Response):
        return found
    user = found
    with stand_in.lock:
        stored = user.reminders.get(alert_token)
    if stored is None:
        return _error(404, "no reminder with that alertToken")
    if request.method == "GET":
        return _json(stored)
    if request.method == "DELETE":
        with stand_in.lock:
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
    with stand_in.lock:
        user.reminders[alert_token] = updated
    return _json(_summary(updated))


def _summary(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The POST/PUT response: ask-sdk-model's ReminderResponse."""
    keys = ("alertToken", "createdTime", "updatedTime", "status", "version")
    return {
        **{k: stored[k] for k in keys},
        "href": f"{REMINDERS_PATH}/{stored['alertToken']}",
    }


def _time_zone(stand_in: StandInState, device_id: str) -> Response:
    if stand_in.user_of(request.headers.get("Authorization")) is None:
        return _error(401, "the access token is missing or not valid")
    with stand_in.lock:
        zone = stand_in.zones.get(device_id, stand_in.default_time_zone)
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
