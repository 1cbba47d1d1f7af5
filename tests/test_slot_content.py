"""Content against the interaction model: each slot id the handlers turn into content has some,
and content looked up by a slot id names ids the model has; a disagreement stops the start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import pytest

from skill import create_app
from skill.content import ContentError, ContentStore, LocaleContent
from skill.content.slot_content import slot_content_problems
from skill.interaction_model import InteractionModel, SlotType, load_model
from skill.locales import DEFAULT_LOCALE, available_locales


@pytest.mark.parametrize("locale", available_locales())
def test_the_shipped_content_and_models_agree(content_store: ContentStore, locale: str) -> None:
    assert slot_content_problems(content_store.content(locale), load_model(locale)) == []


def _with_value(model: InteractionModel, slot_type: str, value: str) -> InteractionModel:
    old = model.slot_types[slot_type]
    values = {**old.values, value: (value.replace("_", " "), ())}
    types = {**model.slot_types, slot_type: SlotType(name=slot_type, values=values)}
    return replace(model, slot_types=MappingProxyType(types))


@pytest.mark.parametrize(
    ("slot_type", "table"),
    [
        ("MUSCLE", "relief"),
        ("TIP_TOPIC", "tips.text"),
        ("ROUTINE", "routines"),
        ("RED_FLAG", "safety.signs"),
        ("HEAT_OR_COLD", "heat_or_cold"),
    ],
)
def test_a_model_id_without_content_is_found(
    content_store: ContentStore, slot_type: str, table: str
) -> None:
    model = _with_value(load_model(DEFAULT_LOCALE), slot_type, "brand_new")
    problems = slot_content_problems(content_store.content(DEFAULT_LOCALE), model)
    assert problems == [f"{slot_type} id 'brand_new' has no entry in {table}"]


def _extra_relief(content: LocaleContent) -> LocaleContent:
    return replace(content, relief=MappingProxyType({**content.relief, "elbow": "Bend it."}))


def _extra_leg_muscle(content: LocaleContent) -> LocaleContent:
    safety = replace(content.safety, leg_muscles=(*content.safety.leg_muscles, "elbow"))
    return replace(content, safety=safety)


def _routine_muscle(content: LocaleContent) -> LocaleContent:
    calf = content.routines["calf"]
    routines = {**content.routines, "calf": replace(calf, muscles=(*calf.muscles, "elbow"))}
    return replace(content, routines=MappingProxyType(routines))


def _sign_without_words(content: LocaleContent) -> LocaleContent:
    sign = replace(content.safety.signs[0], id="elbow", words=(), all_of=())
    safety = replace(content.safety, signs=(*content.safety.signs, sign))
    return replace(content, safety=safety)


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        (_extra_relief, "relief names 'elbow', which is no MUSCLE id"),
        (_extra_leg_muscle, "safety.leg_muscles names 'elbow', which is no MUSCLE id"),
        (_routine_muscle, "routines.calf.muscles names 'elbow', which is no MUSCLE id"),
        (_sign_without_words, "safety.signs names 'elbow', which is no RED_FLAG id"),
    ],
)
def test_content_naming_an_id_the_model_lacks_is_found(
    content_store: ContentStore, breaks: Callable[[LocaleContent], LocaleContent], problem: str
) -> None:
    content = breaks(content_store.content(DEFAULT_LOCALE))
    assert slot_content_problems(content, load_model(DEFAULT_LOCALE)) == [problem]


def test_a_model_without_a_content_slot_type_is_found(content_store: ContentStore) -> None:
    model = load_model(DEFAULT_LOCALE)
    types = {name: value for name, value in model.slot_types.items() if name != "TIP_TOPIC"}
    broken = replace(model, slot_types=MappingProxyType(types))
    problems = slot_content_problems(content_store.content(DEFAULT_LOCALE), broken)
    assert problems == ["the model has no slot type TIP_TOPIC"]


def test_a_disagreement_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def with_new_muscle(locale: str) -> InteractionModel:
        return _with_value(load_model(locale), "MUSCLE", "elbow")

    monkeypatch.setattr("skill.slots.load_model", with_new_muscle)
    config: dict[str, Any] = {"VERIFY_REQUESTS": False}
    with pytest.raises(ContentError, match=r"MUSCLE id 'elbow' has no entry in relief"):
        create_app(config)
