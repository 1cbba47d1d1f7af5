"""Devices with a screen: on an Echo Show 8 and an Echo Spot every reply carries one valid, dark
APL document (the step's countdown as long as its spoken hold), speakers get none, and the step
screen's buttons do exactly what saying the words does."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from skill.apl.directive import TOKEN_PREFIX
from skill.devtools.devca import DevCA
from skill.envelopes import slot
from skill.locales import DEFAULT_LOCALE
from skill.simulator.device import SimulatedDevice, device_profiles
from tests.helpers.alexa import AlexaClient, speech_of
from tests.helpers.apl import apl_findings

RENDER = "Alexa.Presentation.APL.RenderDocument"
SCREENS = ("echo-show-8", "echo-spot")
_BREAK = re.compile(r'<break time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')

# A night's worth of requests that between them give every kind of reply: relief, a step with a
# hold and one without, routine words, tips, causes, doctor advice, a warning sign, the emergency
# line, help, fallback, goodbye. (intent, slots); None is a launch.
CONVERSATION: tuple[tuple[str | None, dict[str, tuple[str, str]]], ...] = (
    (None, {}),
    ("AMAZON.YesIntent", {}),
    ("AMAZON.NextIntent", {}),
    ("SkipStepIntent", {}),
    ("AMAZON.PreviousIntent", {}),
    ("StepsLeftIntent", {}),
    ("AMAZON.HelpIntent", {}),
    ("AMAZON.PauseIntent", {}),
    ("AMAZON.ResumeIntent", {}),
    ("AMAZON.StopIntent", {}),
    ("CrampReliefIntent", {"muscle": ("calf", "calf")}),
    ("StillCrampingIntent", {}),
    ("CauseIntent", {}),
    ("PreventionTipIntent", {}),
    ("DoctorIntent", {}),
    ("RedFlagIntent", {"symptom": ("numb", "numbness")}),
    ("RedFlagIntent", {"symptom": ("chest pain", "chest_pain")}),
    ("AMAZON.FallbackIntent", {}),
    ("GuidedStretchIntent", {"routine": ("toe stretches", "toes")}),
    ("AMAZON.NextIntent", {}),
    ("AMAZON.NextIntent", {}),
    ("AMAZON.NextIntent", {}),
    ("AMAZON.NextIntent", {}),
    ("AMAZON.CancelIntent", {}),
)


def on_device(client: FlaskClient, ca: DevCA, profile: str) -> AlexaClient:
    alexa = AlexaClient(client, ca)
    device = SimulatedDevice(locale=DEFAULT_LOCALE)
    device.use(device_profiles()[profile])
    alexa.conversation = device
    return alexa


def _slots(slots: dict[str, tuple[str, str]], name: str) -> dict[str, dict[str, Any]]:
    types = {"muscle": "MUSCLE", "symptom": "RED_FLAG", "routine": "ROUTINE"}
    return {
        key: slot(key, spoken, value_id=value_id, slot_type=types[key])
        for key, (spoken, value_id) in slots.items()
    }


def converse(alexa: AlexaClient) -> Iterator[dict[str, Any]]:
    for intent, slots in CONVERSATION:
        if intent is None:
            yield alexa.launch()
        else:
            yield alexa.send(alexa.conversation.intent(intent, _slots(slots, intent) or None))


def held_seconds(ssml: str) -> float:
    """The seconds of the breaks of a second or more: the hold as spoken."""
    total = 0.0
    for amount, unit in _BREAK.findall(ssml):
        seconds = float(amount) / (1000 if unit == "ms" else 1)
        total += seconds if seconds >= 1 else 0
    return total


def test_a_speaker_gets_speech_only(alexa: AlexaClient) -> None:
    for payload in converse(alexa):
        assert "directives" not in payload["response"]
        assert "card" not in payload["response"]


@pytest.mark.parametrize("profile", SCREENS)
def test_every_reply_on_a_screen_has_one_valid_dark_document(
    client: FlaskClient, dev_ca: DevCA, profile: str
) -> None:
    cases: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    shown = set()
    for turn, payload in enumerate(converse(on_device(client, dev_ca, profile))):
        response = payload["response"]
        assert "card" not in response  # the screen is the only visual: nothing duplicates it
        (directive,) = response["directives"]
        assert directive["type"] == RENDER
        assert directive["token"].startswith(TOKEN_PREFIX)
        document = directive["document"]
        assert document["theme"] == "dark"
        assert document["mainTemplate"]["item"]["backgroundColor"] == "@background"
        shown.add(directive["token"])
        cases[f"{turn} {directive['token']}"] = (document, directive["datasources"])
        if "step" in directive["datasources"]:
            step = directive["datasources"]["step"]
            assert step["hold"] == held_seconds(speech_of(payload)), turn
            if step["hold"]:
                assert step["holdEndsMs"] - step["holdStartsMs"] >= step["hold"] * 1000
    assert {f"{TOKEN_PREFIX}{name}" for name in ("relief", "step", "text", "emergency")} <= shown
    assert {name: found for name, found in apl_findings(cases).items() if found} == {}


def _user_event(alexa: AlexaClient, argument: str, token: str = "cramp-relief.step") -> Any:
    return alexa.conversation.envelope(
        {
            "type": "Alexa.Presentation.APL.UserEvent",
            "token": token,
            "arguments": [argument],
            "source": {"type": "TouchWrapper", "handler": "Press", "id": ""},
            "components": {},
        }
    )


@pytest.mark.parametrize(
    ("button", "intent"),
    [
        ("next", "AMAZON.NextIntent"),
        ("back", "AMAZON.PreviousIntent"),
        ("stop", "AMAZON.StopIntent"),
    ],
)
def test_a_touch_is_handled_like_the_words(
    make_device: Callable[[], AlexaClient], button: str, intent: str
) -> None:
    spoken, touched = make_device(), make_device()
    for alexa in (spoken, touched):
        alexa.launch()
        alexa.intent("AMAZON.YesIntent")
        alexa.intent("AMAZON.NextIntent")  # step two, so "back" has somewhere to go
    said = spoken.intent(intent)
    pressed = touched.send(_user_event(touched, button))
    assert speech_of(pressed) == speech_of(said)
    assert pressed["response"].get("shouldEndSession") == said["response"].get("shouldEndSession")
    assert pressed.get("sessionAttributes") == said.get("sessionAttributes")
    assert pressed["response"]["directives"] == said["response"]["directives"]


@pytest.mark.parametrize(
    ("token", "argument"),
    [("another-skill.doc", "next"), ("cramp-relief.step", "jump"), ("cramp-relief.step", "")],
)
def test_a_touch_that_is_not_ours_gets_nothing(
    make_device: Callable[[], AlexaClient], token: str, argument: str
) -> None:
    alexa = make_device()
    alexa.launch()
    payload = alexa.send(_user_event(alexa, argument, token))
    assert "outputSpeech" not in payload["response"]


@pytest.fixture
def make_device(client: FlaskClient, dev_ca: DevCA) -> Callable[[], AlexaClient]:
    return lambda: on_device(client, dev_ca, "echo-show-8")
