"""The offline stand-in of the Reminders and settings APIs: the shapes and codes it answers with."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from skill.simulator.alexa_api import AlexaApiStandIn
from skill.simulator.reminder_shapes import reminder_request_problem


def daily_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "requestTime": "2026-12-01T09:00:00",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "timeZoneId": "America/Chicago",
            "recurrence": {
                "startDateTime": "2026-12-01T22:00:00",
                "recurrenceRules": ["FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
            },
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "Stretch."}]}},
        "pushNotification": {"status": "DISABLED"},
    }
    body.update(changes)
    return body


class Api:
    def __init__(self, stand_in: AlexaApiStandIn, token: str | None) -> None:
        self.stand_in, self.token = stand_in, token

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return requests.request(
            method,
            self.stand_in.endpoint + path,
            json=body,
            headers=headers,
            verify=str(self.stand_in.ca_file),
            timeout=5,
        )


@pytest.fixture
def api(alexa_api: AlexaApiStandIn) -> Api:
    return Api(alexa_api, alexa_api.new_user(granted=True))


def test_create_get_update_delete(api: Api) -> None:
    created = api.call("POST", "/v1/alerts/reminders", daily_body())
    assert created.status_code == 200
    summary = created.json()
    assert set(summary) == {"alertToken", "createdTime", "updatedTime", "status", "version", "href"}
    assert summary["status"] == "ON"
    token = summary["alertToken"]
    assert summary["href"] == f"/v1/alerts/reminders/{token}"

    got = api.call("GET", f"/v1/alerts/reminders/{token}").json()
    assert got["trigger"]["recurrence"]["recurrenceRules"][0].startswith("FREQ=DAILY")
    assert got["pushNotification"] == {"status": "DISABLED"}

    moved = daily_body()
    moved["trigger"]["recurrence"]["recurrenceRules"] = ["FREQ=DAILY;BYHOUR=21;BYMINUTE=30"]
    assert api.call("PUT", f"/v1/alerts/reminders/{token}", moved).json()["version"] == "2"
    listed = api.call("GET", "/v1/alerts/reminders").json()
    assert listed["totalCount"] == "1"
    assert "BYHOUR=21" in listed["alerts"][0]["trigger"]["recurrence"]["recurrenceRules"][0]

    assert api.call("DELETE", f"/v1/alerts/reminders/{token}").status_code == 200
    assert api.call("GET", f"/v1/alerts/reminders/{token}").status_code == 404
    assert api.call("DELETE", f"/v1/alerts/reminders/{token}").status_code == 404


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], "not a JSON object"),
        (daily_body(requestTime="2026-12-01T09:00:00Z"), "requestTime"),
        (daily_body(trigger={"type": "SOMETIME"}), "trigger.type"),
        (daily_body(alertInfo={"spokenInfo": {"content": []}}), "spokenInfo.content"),
        (daily_body(pushNotification={"status": "LOUD"}), "pushNotification"),
    ],
)
def test_malformed_bodies_get_400(api: Api, body: object, problem: str) -> None:
    answer = api.call("POST", "/v1/alerts/reminders", body)
    assert answer.status_code == 400
    assert problem in answer.json()["message"]
    assert set(answer.json()) == {"code", "message"}


def test_rules_and_zones_are_checked() -> None:
    bad_zone = daily_body()
    bad_zone["trigger"]["timeZoneId"] = "Mars/Olympus_Mons"
    assert "timeZoneId" in (reminder_request_problem(bad_zone) or "")
    bad_rule = daily_body()
    bad_rule["trigger"]["recurrence"]["recurrenceRules"] = ["EVERY=NIGHT"]
    assert "rule" in (reminder_request_problem(bad_rule) or "")
    assert reminder_request_problem(daily_body()) is None


def test_permission_and_tokens(alexa_api: AlexaApiStandIn) -> None:
    nobody = Api(alexa_api, None)
    assert nobody.call("POST", "/v1/alerts/reminders", daily_body()).status_code == 401
    stranger = Api(alexa_api, "standin.not a token.reminders")
    assert stranger.call("GET", "/v1/alerts/reminders").status_code == 401
    ungranted = Api(alexa_api, alexa_api.new_user(granted=False))
    assert ungranted.call("POST", "/v1/alerts/reminders", daily_body()).status_code == 403
    assert ungranted.call("GET", "/v1/alerts/reminders").status_code == 401
    ungranted.token = alexa_api.grant(str(ungranted.token))
    assert ungranted.call("POST", "/v1/alerts/reminders", daily_body()).status_code == 200


@pytest.mark.parametrize("status", [400, 401, 403, 429, 500, 503])
def test_arranged_failures(api: Api, status: int) -> None:
    api.stand_in.fail_next(status)
    failed = api.call("POST", "/v1/alerts/reminders", daily_body())
    assert failed.status_code == status
    assert set(failed.json()) == {"code", "message"}
    assert api.stand_in.reminders(str(api.token)) == []
    assert api.call("POST", "/v1/alerts/reminders", daily_body()).status_code == 200


def test_time_zone_setting(api: Api) -> None:
    path = "/v2/devices/device-1/settings/System.timeZone"
    assert api.call("GET", path).json() == "America/New_York"
    api.stand_in.set_time_zone("device-1", "Europe/London")
    assert api.call("GET", path).json() == "Europe/London"
    api.stand_in.set_time_zone("device-1", None)
    assert api.call("GET", path).status_code == 204
    assert Api(api.stand_in, None).call("GET", path).status_code == 401


def test_deleted_in_the_app(api: Api) -> None:
    token = api.call("POST", "/v1/alerts/reminders", daily_body()).json()["alertToken"]
    api.stand_in.delete_in_app(str(api.token), token)
    assert api.call("GET", f"/v1/alerts/reminders/{token}").status_code == 404
