"""Golden conversations, one YAML file each under tests/golden/<locale>/: request → exact words.

A turn's `request` is `launch`, `session_ended`, `{intent: Name, slots: {slot: spoken value}}`,
`{can_fulfill: Name, slots: {...}}` or `{type: Some.Other.Request}`. Its expectations: `says`
(the exact spoken text, SSML tags dropped), `reprompt` (exact, or null for none), `session`
(open | closed), `can_fulfill` (YES | NO), `empty: true` for a response with nothing in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.envelopes import slot
from skill.locales import available_locales
from skill.speech import ssml_to_text
from tests.helpers import AlexaClient

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*/*.yaml"))


def test_every_locale_has_golden_conversations() -> None:
    assert {path.parent.name for path in CASES} >= set(available_locales())


def _envelope(alexa: AlexaClient, request: Any) -> dict[str, Any]:
    conversation = alexa.conversation
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


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_conversation(path: Path, make_alexa: Any) -> None:
    alexa: AlexaClient = make_alexa(path.parent.name)
    for number, turn in enumerate(yaml.safe_load(path.read_text("utf-8"))["turns"], 1):
        payload = alexa.send(_envelope(alexa, turn["request"]))
        response = payload["response"]
        where = f"{path.name} turn {number}"
        if turn.get("empty"):
            assert response == {}, where
        if "says" in turn:
            assert ssml_to_text(response["outputSpeech"]["ssml"]) == turn["says"], where
        if "reprompt" in turn:
            reprompt = response.get("reprompt")
            said = None if reprompt is None else ssml_to_text(reprompt["outputSpeech"]["ssml"])
            assert said == turn["reprompt"], where
        if "session" in turn:
            assert response.get("shouldEndSession") is (turn["session"] == "closed"), where
        if "can_fulfill" in turn:
            assert response["canFulfillIntent"]["canFulfill"] == turn["can_fulfill"], where
