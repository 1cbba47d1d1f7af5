"""A routine's place from session attributes: tampered ones are no routine, valid ones followed."""

from __future__ import annotations

from typing import Any

import pytest

from skill.speech import Renderer, Reply
from tests.helpers.alexa import AlexaClient, text_of
from tests.helpers.routines import NAVIGATION, expected

TAMPERED_ROUTINES: list[Any] = [
    {"routine": "x", "step": 0},
    {"routine": "calf", "step": -1},
    {"routine": "calf", "step": 10**9},
    {"routine": "calf", "step": 3},
    {"routine": "calf", "step": "1"},
    {"routine": "calf", "step": 1.0},
    {"routine": "calf", "step": True},
    {"routine": "calf", "step": None},
    {"routine": 5, "step": 0},
    {"routine": ["calf"], "step": 0},
    {"routine": "__class__", "step": 0},
    {"step": 0},
    "calf",
    ["calf", 1],
    7,
]


@pytest.mark.parametrize("routine", TAMPERED_ROUTINES)
@pytest.mark.parametrize("intent", [*NAVIGATION, "AMAZON.HelpIntent", "AMAZON.StopIntent"])
def test_tampered_routine_is_no_routine(
    alexa: AlexaClient, renderer: Renderer, routine: Any, intent: str
) -> None:
    alexa.intent("CauseIntent")
    alexa.conversation.attributes = {"routine": routine}
    payload = alexa.intent(intent)  # alexa.send has checked the 200
    if intent == "AMAZON.HelpIntent":
        assert text_of(payload) == expected(renderer, Reply("help"))
    elif intent == "AMAZON.StopIntent":
        assert text_of(payload) == expected(renderer, Reply("goodbye"))
    else:
        assert text_of(payload) == expected(renderer, Reply("no_routine"))
    assert "routine" not in payload.get("sessionAttributes", {})


@pytest.mark.parametrize(
    "params",
    [
        {"routine": "x", "step": 0},
        {"routine": "calf", "step": -1},
        {"routine": "calf", "step": 10**6},
        {"routine": "calf", "step": "one"},
        {"routine": "calf"},
        {"routine": "calf", "step": 0, "lead": "nonsense"},
    ],
)
def test_tampered_kept_step_is_never_repeated(
    alexa: AlexaClient, renderer: Renderer, params: dict[str, Any]
) -> None:
    alexa.intent("CauseIntent")
    alexa.conversation.attributes = {"last": {"template": "step", "params": params}}
    payload = alexa.intent("AMAZON.RepeatIntent")
    assert text_of(payload) == expected(renderer, Reply("relief", {"muscle": "general"}))


def test_a_valid_position_from_the_client_is_followed(alexa: AlexaClient) -> None:
    """Validation rejects what is impossible, not what is merely unexpected."""
    alexa.intent("CauseIntent")
    alexa.conversation.attributes = {"routine": {"routine": "bedtime", "step": 6}}
    payload = alexa.intent("AMAZON.NextIntent")
    assert text_of(payload).startswith("Step eight.")
