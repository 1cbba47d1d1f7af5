"""Asking for the reminders permission by voice, and the card where a device cannot.

Amazon's "voice permissions for reminders": the skill sends a Connections.SendRequest directive
named AskFor (an AskForPermissionsConsentRequest, version 1, for the reminders scope); Alexa asks
the person in its own words and answers with a Connections.Response whose payload status is
ACCEPTED, DENIED or NOT_ANSWERED, echoing the directive's token. A response whose status code is
not 200 means Alexa could not ask (a device or account without voice permissions); the skill
then sends an AskForPermissionsConsent card to the Alexa app instead. Everything in the response
is checked: it comes from outside.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, TypeGuard

from ask_sdk_model.interfaces.connections.connections_response import ConnectionsResponse
from ask_sdk_model.interfaces.connections.send_request_directive import SendRequestDirective
from ask_sdk_model.ui.ask_for_permissions_consent_card import AskForPermissionsConsentCard

from skill.alexa_api import REMINDERS_SCOPE

ASK_FOR: Final = "AskFor"
_MAX_TOKEN: Final = 64


class PermissionAnswer(StrEnum):
    ACCEPTED = "ACCEPTED"
    DENIED = "DENIED"
    NOT_ANSWERED = "NOT_ANSWERED"
    CANNOT_ASK = "CANNOT_ASK"  # Alexa could not ask by voice here: fall back to the card


def ask_for_reminders(token: str) -> SendRequestDirective:
    """The directive that has Alexa ask for the reminders permission; `token` comes back."""
    payload: dict[str, object] = {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "1",
        "permissionScope": REMINDERS_SCOPE,
    }
    return SendRequestDirective(name=ASK_FOR, payload=payload, token=token)


def consent_card() -> AskForPermissionsConsentCard:
    """The Alexa app card that asks for the reminders permission."""
    return AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE])


def is_permission_answer(request: object) -> TypeGuard[ConnectionsResponse]:
    """True for the Connections.Response to our AskFor (whatever its content)."""
    return isinstance(request, ConnectionsResponse) and request.name == ASK_FOR


def permission_answer(request: ConnectionsResponse) -> PermissionAnswer:
    """What the person answered; anything malformed counts as no answer."""
    code = getattr(request.status, "code", None)
    if code != "200":
        return PermissionAnswer.CANNOT_ASK
    payload = request.payload if isinstance(request.payload, dict) else {}
    if payload.get("permissionScope") != REMINDERS_SCOPE:
        return PermissionAnswer.NOT_ANSWERED
    status = payload.get("status")
    if status == PermissionAnswer.ACCEPTED or status == PermissionAnswer.DENIED:
        return PermissionAnswer(str(status))
    return PermissionAnswer.NOT_ANSWERED


def answer_token(request: ConnectionsResponse) -> str | None:
    """The token we sent with the directive, if it came back as a short string."""
    token = request.token
    return token if isinstance(token, str) and 0 < len(token) <= _MAX_TOKEN else None
