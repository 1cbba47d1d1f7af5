"""Alexa's own part when a skill asks for the reminders permission by voice.

The skill's response carries a Connections.SendRequest directive named AskFor; Alexa then asks
the person in its own words (phrases/<language>.toml, [permission]) and sends the skill a
Connections.Response in the same session: ACCEPTED for an approval, DENIED for a no, NOT_ANSWERED
for anything else or silence, echoing the directive's token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from skill.alexa_api import REMINDERS_SCOPE
from skill.envelopes import read_response
from skill.simulator.alexa_api_link import AlexaApiLink
from skill.simulator.builtin_phrases import BuiltinPhrases, builtin_phrases, language_of
from skill.simulator.device import SimulatedDevice
from skill.simulator.samples import word_keys

ASK_FOR: Final = "AskFor"
_MAX_TOKEN: Final = 64


def asked(response_envelope: Mapping[str, Any]) -> str | None:
    """The token of an AskFor directive in the skill's response, or None if it has none."""
    for directive in read_response(response_envelope).directives_of("Connections.SendRequest"):
        if directive.get("name") == ASK_FOR:
            token = directive.get("token", "")
            return token if isinstance(token, str) else ""
    return None


def permission_status(said: str, phrases: BuiltinPhrases) -> str:
    """What Alexa makes of the answer to its permission question."""
    heard = " ".join(word_keys(said))
    if heard in {" ".join(word_keys(p)) for p in phrases.permission_accept}:
        return "ACCEPTED"
    if heard in {" ".join(word_keys(p)) for p in phrases.permission_deny}:
        return "DENIED"
    return "NOT_ANSWERED"


def question(locale: str, invocation: str) -> dict[str, str]:
    """What Alexa says on an AskFor (the `speech` of the turn), and a note on it."""
    question = builtin_phrases(language_of(locale)).permission_question
    return {
        "speech": question.replace("{invocation}", invocation),
        "note": 'The skill had Alexa ask for the reminders permission (AskFor): answer "I approve" '
        'or "no".',
    }


def answer(
    device: SimulatedDevice, said: str, token: str, alexa_api: AlexaApiLink | None
) -> tuple[dict[str, Any], str]:
    """The Connections.Response Alexa sends for `said`, and its status; an approval grants the
    permission as Alexa records it (the scope in the request, the stand-in user's new token)."""
    status = permission_status(said, builtin_phrases(language_of(device.locale)))
    if status == "ACCEPTED":
        device.scopes[REMINDERS_SCOPE] = "GRANTED"
        if alexa_api is not None:
            device.api_access_token = alexa_api.granted(device.api_access_token)
    payload = {"permissionScope": REMINDERS_SCOPE, "status": status}
    return device.connections_response(ASK_FOR, payload, token=token), status


def pending(raw: object) -> str | None:
    """A saved AskFor token from the page's state (client input): a short string, or None."""
    if raw is not None and not (isinstance(raw, str) and len(raw) <= _MAX_TOKEN):
        raise ValueError("asking must be a short string")
    return raw
