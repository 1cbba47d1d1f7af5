"""Asking for the reminders permission by voice: the directive, the card, and reading the answer."""

from __future__ import annotations

from typing import Any

import pytest
from ask_sdk_model.request_envelope import RequestEnvelope

from skill import codec
from skill.envelopes import Conversation
from skill.voice_permission import (
    PermissionAnswer,
    answer_token,
    ask_for_reminders,
    consent_card,
    is_permission_answer,
    permission_answer,
)

SCOPE = "alexa::alerts:reminders:skill:readwrite"


def test_directive_and_card_have_the_documented_shape() -> None:
    assert codec.to_json(ask_for_reminders("reminder@22:00")) == {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "1",
            "permissionScope": SCOPE,
        },
        "token": "reminder@22:00",
    }
    assert codec.to_json(consent_card()) == {
        "type": "AskForPermissionsConsent",
        "permissions": [SCOPE],
    }


def answer(payload: Any, code: str = "200", name: str = "AskFor", token: str = "t") -> Any:
    raw = Conversation().connections_response(name, payload, code=code, token=token)
    envelope: RequestEnvelope = codec.from_json(raw, RequestEnvelope)
    return envelope.request


@pytest.mark.parametrize(
    ("payload", "code", "expected"),
    [
        ({"permissionScope": SCOPE, "status": "ACCEPTED"}, "200", PermissionAnswer.ACCEPTED),
        ({"permissionScope": SCOPE, "status": "DENIED"}, "200", PermissionAnswer.DENIED),
        (
            {"permissionScope": SCOPE, "status": "NOT_ANSWERED"},
            "200",
            PermissionAnswer.NOT_ANSWERED,
        ),
        ({"permissionScope": SCOPE, "status": "ACCEPTED"}, "400", PermissionAnswer.CANNOT_ASK),
        (
            {"permissionScope": "other:scope", "status": "ACCEPTED"},
            "200",
            PermissionAnswer.NOT_ANSWERED,
        ),
        ({"permissionScope": SCOPE, "status": "accepted"}, "200", PermissionAnswer.NOT_ANSWERED),
        ({"permissionScope": SCOPE, "status": ["ACCEPTED"]}, "200", PermissionAnswer.NOT_ANSWERED),
        ({}, "200", PermissionAnswer.NOT_ANSWERED),
    ],
)
def test_answers_are_read_strictly(payload: Any, code: str, expected: PermissionAnswer) -> None:
    request = answer(payload, code)
    assert is_permission_answer(request)
    assert permission_answer(request) is expected


def test_only_our_askfor_is_ours() -> None:
    assert not is_permission_answer(answer({}, name="Buy"))
    assert answer_token(answer({}, token="x" * 65)) is None
    assert answer_token(answer({}, token="reminder@22:00")) == "reminder@22:00"
