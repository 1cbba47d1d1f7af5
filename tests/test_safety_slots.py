"""Signs are read from a slot through the type the model gives it, as every other slot's value is:
no slot name is special, so a RED_FLAG slot anywhere in the model carries its sign."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from skill import slots as slot_module
from skill.conversation.safety import Heard, assess
from skill.devtools.devca import DevCA
from skill.handlers import safety as safety_handlers
from skill.handlers.safety import SIGN_TYPE
from skill.interaction_model import InteractionModel, load_model
from skill.locales import available_locales
from skill.simulator.alexa_api import AlexaApiStandIn
from tests.helpers.alexa import AlexaClient


def heard_by(monkeypatch: pytest.MonkeyPatch) -> list[Heard]:
    """What the safety rules are given, request by request."""
    seen: list[Heard] = []

    def kept(safety: Any, heard: Heard) -> Any:
        seen.append(heard)
        return assess(safety, heard)

    monkeypatch.setattr(safety_handlers, "assess", kept)
    return seen


def sign_slots(model: InteractionModel) -> list[tuple[str, str]]:
    """(intent, slot) for every slot the model types RED_FLAG."""
    return [
        (intent.name, name)
        for intent in model.intents.values()
        for name, type_name in intent.slots.items()
        if type_name == SIGN_TYPE
    ]


@pytest.mark.parametrize("locale", available_locales())
def test_every_sign_slot_carries_its_value_as_a_sign(
    make_alexa: Callable[[str], AlexaClient], monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    """A value's name said in any RED_FLAG slot is that sign, and its words are placed (not
    among the words the model could not place)."""
    model = load_model(locale)
    signs = model.slot_types[SIGN_TYPE].values
    where = sign_slots(model)
    assert len(where) >= 2  # RedFlagIntent's two, at least
    seen = heard_by(monkeypatch)
    for intent, slot in where:
        for sign, (name, _) in signs.items():
            alexa = make_alexa(locale)
            alexa.launch()
            seen.clear()
            alexa.intent(intent, **{slot: name})
            assert seen, (intent, slot, name)
            assert seen[0].signs == {sign}, (intent, slot, name)
            assert seen[0].unmatched == "", (intent, slot, name)


def renamed_model(locale: str) -> InteractionModel:
    """The shipped model, with RedFlagIntent's sign slot under a name the handler never saw."""
    model = load_model(locale)
    intent = model.intents["RedFlagIntent"]
    slots = {("sign" if name == "symptom" else name): kind for name, kind in intent.slots.items()}
    intents = {**model.intents, intent.name: dataclasses.replace(intent, slots=slots)}
    return dataclasses.replace(model, intents=intents)


def test_a_sign_slot_is_found_by_its_type_not_its_name(
    make_app: Callable[[], Flask],
    dev_ca: DevCA,
    alexa_api: AlexaApiStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(slot_module, "load_model", renamed_model)
    alexa = AlexaClient(make_app().test_client(), dev_ca, alexa_api=alexa_api)
    model = renamed_model(alexa.conversation.locale)
    sign, (name, _) = next(iter(model.slot_types[SIGN_TYPE].values.items()))
    seen = heard_by(monkeypatch)
    alexa.launch()
    alexa.intent("RedFlagIntent", sign=name)
    assert [heard.signs for heard in seen] == [{sign}]
    # The old name is now no slot of the intent: its words are read, but as no value.
    seen.clear()
    alexa.intent("RedFlagIntent", symptom=name)
    assert [(heard.signs, heard.unmatched) for heard in seen] == [(frozenset(), name.casefold())]
