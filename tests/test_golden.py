"""Golden conversations, one YAML file each under tests/golden/<locale>/: request → exact words.

A turn's `request` is `launch`, `session_ended`, `{intent: Name, slots: {slot: spoken value}}`,
`{can_fulfill: Name, slots: {...}}`, `{permission: ACCEPTED | DENIED | NOT_ANSWERED, code: "200"}`
(Alexa's Connections.Response to the last AskFor; ACCEPTED also grants the permission, as Alexa
records it) or `{type: Some.Other.Request}`. Its expectations: `says` (the exact spoken text, SSML
tags dropped), `reprompt` (exact, or null for none), `session` (open | closed), `can_fulfill`
(YES | NO), `empty: true` for a response with nothing in it, `directive` (the name of a
Connections.SendRequest it carries), `card` (its card's type), `reminders` (the recurrence rules of
the user's reminders in the Alexa API stand-in afterwards; [] for none).

Reminder conversations talk to the offline stand-in of Alexa's APIs: a file may say
`granted: true` (the permission was given before), and a turn may `arrange` what the API does
first: `{fail: 429}` (the next call fails so), `{fail_twice: 500}`, `{time_zone: Europe/London}`,
`{deleted_in_app: true}` (the user's reminders are deleted behind the skill's back),
`{granted: true}` (the permission is given in the Alexa app) or `{withdrawn: true}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.alexa_api import REMINDERS_SCOPE
from skill.envelopes import read_response, slot
from skill.locales import available_locales
from tests.helpers.alexa import AlexaClient

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.yaml"))


def test_every_locale_has_golden_conversations() -> None:
    assert {path.parent.name for path in CASES} >= set(available_locales())


def _envelope(alexa: AlexaClient, request: Any, token: str) -> dict[str, Any]:
    conversation = alexa.conversation
    if isinstance(request, dict) and "permission" in request:
        status, code = request["permission"], str(request.get("code", "200"))
        if status == "ACCEPTED" and code == "200":
            alexa.grant_reminders()
        payload = {"permissionScope": REMINDERS_SCOPE, "status": status}
        return conversation.connections_response("AskFor", payload, token=token, code=code)
    if request == "launch":
        return conversation.launch()
    if request == "session_ended":
        return conversation.session_ended()
    slots = {name: slot(name, value) for name, value in (request.get("slots") or {}).items()}
    if "intent" in request:
        return conversation.intent(request["intent"], slots or None)
    if "can_fulfill" in request:
        return conversation.can_fulfill(request["can_fulfill"], slots)
    return conversation.envelope({"type": request["type"]})


def _arrange(alexa: AlexaClient, arrange: dict[str, Any]) -> None:
    stand_in = alexa.alexa_api
    assert stand_in is not None
    if "fail" in arrange:
        stand_in.fail_next(int(arrange["fail"]))
    if "fail_twice" in arrange:
        stand_in.fail_next(int(arrange["fail_twice"]), times=2)
    if "time_zone" in arrange:
        stand_in.set_time_zone(alexa.conversation.device_id, arrange["time_zone"])
    if arrange.get("deleted_in_app"):
        for reminder in alexa.reminders():
            stand_in.delete_in_app(alexa.conversation.api_access_token, reminder["alertToken"])
    if arrange.get("withdrawn"):
        alexa.grant_reminders(False)
    if arrange.get("granted"):
        alexa.grant_reminders()


def _directive(response: dict[str, Any]) -> tuple[str | None, str]:
    """(name, token) of a Connections.SendRequest directive in the response, if any."""
    for directive in response.get("directives") or []:
        if directive.get("type") == "Connections.SendRequest":
            return directive.get("name"), directive.get("token", "")
    return None, ""


def _rules(alexa: AlexaClient) -> list[str]:
    return [
        rule for r in alexa.reminders() for rule in r["trigger"]["recurrence"]["recurrenceRules"]
    ]


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_conversation(path: Path, make_alexa: Any) -> None:
    alexa: AlexaClient = make_alexa(path.parent.name)
    document = yaml.safe_load(path.read_text("utf-8"))
    if document.get("granted"):
        alexa.grant_reminders()
    token = ""
    for number, turn in enumerate(document["turns"], 1):
        _arrange(alexa, turn.get("arrange") or {})
        payload = alexa.send(_envelope(alexa, turn["request"], token))
        response = payload["response"]
        said = read_response(payload)
        where = f"{path.name} turn {number}"
        name, token = _directive(response)
        if "directive" in turn:
            assert name == turn["directive"], where
        if "card" in turn:
            assert (response.get("card") or {}).get("type") == turn["card"], where
        if "reminders" in turn:
            assert _rules(alexa) == turn["reminders"], where
        if turn.get("empty"):
            assert response == {}, where
        if "says" in turn:
            assert "outputSpeech" in response, where
            assert said.text == turn["says"], where
        if "reprompt" in turn:
            assert said.reprompt == turn["reprompt"], where
        if "session" in turn:
            assert said.session_open is (turn["session"] != "closed"), where
        if "can_fulfill" in turn:
            assert response["canFulfillIntent"]["canFulfill"] == turn["can_fulfill"], where
