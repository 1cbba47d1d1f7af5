"""The labelled safety suite (tests/safety/<locale>.yaml), through the resolver and the skill.

Each phrase is said to the simulator as a person would (after the still-cramping offer of an ice
pack when its context says so), resolved by the project's resolver, answered by the skill in
process, and the reply is read for its route (docs/facts.md "Safety routing"): 1 opens with the
emergency line, 2 with "get medical advice today", 3 says "see a doctor soon" first or right after
the relief, 4 says none of them and opens with something to do. Both directions count: a false
alarm fails as surely as a missed emergency.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from skill.app import create_app
from skill.content import LocaleContent
from skill.content.store import ContentStore
from skill.conversation.safety import assess
from skill.devtools.trust import ephemeral_dev_ca, in_process_config
from skill.handlers import safety as safety_handlers
from skill.handlers.safety import SIGN_TYPE
from skill.interaction_model import load_model
from skill.simulator.session import Simulator
from skill.simulator.turn import Turn
from tests.helpers.alexa import AlexaClient, text_of

SAFETY = Path(__file__).parent / "safety"
LOCALES = sorted(path.stem for path in SAFETY.glob("*.yaml"))
MINIMUM = {"en-US": 40, "en-GB": 20}  # phrases per route (issue 9)


def entries(locale: str) -> list[dict[str, Any]]:
    raw = yaml.safe_load((SAFETY / f"{locale}.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, list)
    return raw


def sentences(text: str) -> list[str]:
    parts: list[str] = []
    for piece in text.replace("? ", "?\n").replace(". ", ".\n").splitlines():
        if piece.strip():
            parts.append(piece.strip())
    return parts


def route_of(speech: str, content: LocaleContent) -> int:
    """The safety route a reply takes, read from its sentences."""
    said = sentences(speech)
    first = said[0] if said else ""
    if first == content.emergency.text:
        return 1
    if first == content.today.text:
        return 2
    doctor = (content.red_flag.text, content.red_flag.with_relief)
    if any(line in said[:2] for line in doctor):
        return 3
    return 4


def warning_lines(content: LocaleContent) -> list[str]:
    return [
        content.emergency.text,
        content.today.text,
        content.red_flag.text,
        content.red_flag.with_relief,
    ]


@pytest.fixture(scope="module")
def simulators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Simulator]]:
    ca = ephemeral_dev_ca()
    database = tmp_path_factory.mktemp("safety") / "safety.sqlite3"
    app = create_app({**in_process_config(ca), "DATABASE": str(database)})
    yield {locale: Simulator.in_process(app, ca, locale=locale) for locale in LOCALES}


def say(simulator: Simulator, entry: dict[str, Any]) -> Turn:
    if simulator.session_open:
        simulator.say("exit")
    if entry.get("context") == "after_ice_offer":
        simulator.say("open cramp relief")
        offered = simulator.say("it's still cramping")
        assert "ice pack" in offered.speech, offered.speech
    return simulator.say(entry["text"])


def test_the_suite_is_big_enough() -> None:
    assert LOCALES == ["en-GB", "en-US"]
    for locale in LOCALES:
        for route in (1, 2, 3, 4):
            count = sum(entry["route"] == route for entry in entries(locale))
            assert count >= MINIMUM[locale], (locale, route, count)


@pytest.mark.parametrize("route", [1, 2, 3, 4])
@pytest.mark.parametrize("locale", LOCALES)
def test_every_phrase_takes_its_route(
    simulators: dict[str, Simulator], content_store: ContentStore, locale: str, route: int
) -> None:
    simulator = simulators[locale]
    content = content_store.content(locale)
    fallback = sentences(content.fallback.text)[0]
    wrong = []
    for entry in entries(locale):
        if entry["route"] != route:
            continue
        turn = say(simulator, entry)
        got = route_of(turn.speech, content)
        heard = f"{turn.intent} {turn.resolution.slot_ids()}"
        if got != route:
            wrong.append(f"{entry['text']!r}: route {got}, not {route} ({heard}): {turn.speech}")
        elif route == 4 and sentences(turn.speech)[0] == fallback:
            wrong.append(f"{entry['text']!r}: not understood ({heard})")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_safety_rules_know_every_slot_and_sign(
    content_store: ContentStore, locale: str
) -> None:
    """The warning-sign handler reads signs from the slots the model types RED_FLAG (RedFlagIntent
    has two), and every RED_FLAG id has a route."""
    model = load_model(locale)
    assert set(model.intents["RedFlagIntent"].slots.values()) >= {SIGN_TYPE}
    content = content_store.content(locale)
    routes = {sign.id: sign.route for sign in content.safety.signs}
    assert set(model.slot_types[SIGN_TYPE].values) <= routes.keys()
    assert set(routes.values()) <= {1, 2, 3, 4}


@pytest.mark.parametrize(
    ("symptom", "route"),
    [("trouble breathing", 1), ("I can't breathe", 1), ("breathing", 4), ("sleep", 4)],
)
def test_a_sign_slot_names_a_sign_by_its_words_never_by_its_id_alone(
    alexa: AlexaClient, content_store: ContentStore, symptom: str, route: int
) -> None:
    """Alexa matched the words to no value ("I'm breathing through it" split as "breathing"
    and "through it"): the id's spelling alone is no sign, the sign's own words are."""
    alexa.launch()
    reply = alexa.intent("RedFlagIntent", symptom=symptom, also="through it like you said")
    assert route_of(text_of(reply), content_store.content("en-US")) == route


@pytest.mark.parametrize(
    ("intent", "slots"),
    [
        ("PreventionTipIntent", {"query": "my calf is swollen and red"}),  # taken by the sign
        ("PreventionTipIntent", {"topic": "water"}),  # no sign: another handler answers
        ("RedFlagIntent", {"symptom": "numb"}),
    ],
)
def test_a_request_is_assessed_once(
    alexa: AlexaClient, monkeypatch: pytest.MonkeyPatch, intent: str, slots: dict[str, str]
) -> None:
    calls: list[object] = []

    def counted(*args: Any) -> Any:
        calls.append(args)
        return assess(*args)

    alexa.launch()
    monkeypatch.setattr(safety_handlers, "assess", counted)
    alexa.intent(intent, **slots)
    assert len(calls) == 1


@pytest.mark.parametrize("locale", LOCALES)
def test_a_fallback_still_says_what_to_do_in_an_emergency(
    simulators: dict[str, Simulator], content_store: ContentStore, locale: str
) -> None:
    """Alexa sends no words with a fallback, so a sign said in words no sample holds cannot be
    routed: the reply keeps the relief first and gives the one emergency line."""
    simulator = simulators[locale]
    if simulator.session_open:
        simulator.say("exit")
    simulator.say("open cramp relief")
    turn = simulator.say("zebra quantum marmalade")
    assert turn.intent == "AMAZON.FallbackIntent"
    said = sentences(turn.speech)
    content = content_store.content(locale)
    assert said[1].startswith("If you have a cramp")
    assert content.red_flag.after in said
    assert ("999" if locale == "en-GB" else "911") in content.red_flag.after


@pytest.mark.parametrize(
    "text", ["should I pull my knee to my chest", "can I pull my knees up to my chest"]
)
@pytest.mark.parametrize("locale", LOCALES)
def test_a_stretch_position_with_the_chest_is_no_emergency(
    simulators: dict[str, Simulator], content_store: ContentStore, locale: str, text: str
) -> None:
    """A knee held to the chest is a stretch question: no sample may split it into free words
    and a "chest" sign (a bare "{symptom} to my {also}" once did), nor may the reply open with
    the emergency line."""
    turn = say(simulators[locale], {"text": text})
    assert turn.resolution.slot_ids().get("also") != "chest_pain", turn.resolution.slot_ids()
    assert route_of(turn.speech, content_store.content(locale)) == 4, turn.speech
