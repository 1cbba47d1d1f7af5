"""Derived slot types (skill/derived_types.py): TIP_ANSWER is TIP_TOPIC less what it names, so the
two cannot drift, and a derivation that names what its source lacks fails the build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.sentences import SentenceError, build_model, load_sources, template_locales
from skill.simulator.resolver import resolve
from tests.helpers.sentence_folders import sentence_folder


def types_of(model: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Slot type -> value id -> [canonical value, synonyms...], as the model JSON has them."""
    return {
        slot_type["name"]: {
            value["id"]: [value["name"]["value"], *value["name"]["synonyms"]]
            for value in slot_type["values"]
        }
        for slot_type in model["interactionModel"]["languageModel"]["types"]
    }


@pytest.mark.parametrize("locale", template_locales())
def test_tip_answer_is_tip_topic_less_what_it_excludes(locale: str) -> None:
    derivation = load_sources(locale).derivations["TIP_ANSWER"]
    assert derivation.source == "TIP_TOPIC"
    assert derivation.values == ["stretching"]
    assert derivation.phrases == ["heels"]
    types = types_of(build_model(locale))
    topic, answer = types["TIP_TOPIC"], types["TIP_ANSWER"]
    # What is excluded is in the source (else the exclusion says nothing) and not in the answer.
    assert "stretching" in topic and "stretching" not in answer
    assert "heels" in topic["footwear"]
    assert all("heels" not in phrases for phrases in answer.values())
    # Everything else is there, in the source's order, canonical values included.
    assert answer == {
        value_id: [phrase for phrase in phrases if phrase != "heels"]
        for value_id, phrases in topic.items()
        if value_id != "stretching"
    }


@pytest.mark.parametrize("locale", template_locales())
@pytest.mark.parametrize(
    ("said", "intent", "slots"),
    [
        ("stretching", "GuidedStretchIntent", {}),  # the excluded value: a routine
        ("heels", "CrampReliefIntent", {"muscle": "heel"}),  # the excluded phrase: a place
        ("shoes", "PreventionTipIntent", {"answer": "footwear"}),
        ("vitamins and minerals", "PreventionTipIntent", {"answer": "food"}),
    ],
)
def test_a_topic_said_alone_is_a_tip_unless_excluded(
    locale: str, said: str, intent: str, slots: dict[str, str]
) -> None:
    resolution = resolve(said, locale)
    assert resolution.intent == intent
    assert {k: v for k, v in resolution.slot_ids().items() if v} == slots


def _tree(gb_types: dict[str, object], derive: dict[str, object]) -> dict[str, object]:
    return {
        "en/_model.yaml": {"invocation": "cramp relief"},
        "en/_types.yaml": {
            "TOPIC": {"water": ["water", "fluids"], "stretching": ["stretching"]},
            "ANSWER": {"derive": derive},
        },
        "en/TipIntent.yaml": {
            "intent": "TipIntent",
            "slots": {"topic": "TOPIC", "answer": "ANSWER"},
            "sentences": ["tips on {topic}", "{answer}"],
        },
        "en-GB/_types.yaml": gb_types,
    }


DERIVE: dict[str, object] = {"from": "TOPIC", "exclude": {"values": ["stretching"]}}


def test_a_derived_type_follows_its_source_and_a_locale_may_exclude_more(
    tmp_path: Path,
) -> None:
    more = {"from": "TOPIC", "exclude": {"phrases": ["a glass"]}}
    gb = {"TOPIC": {"water": ["watter", "a glass"]}, "ANSWER": {"derive": more}}
    types = types_of(build_model("en-GB", sentence_folder(tmp_path, _tree(gb, DERIVE))))
    assert types["TOPIC"]["water"] == ["water", "fluids", "watter", "a glass"]
    assert types["ANSWER"] == {"water": ["water", "fluids", "watter"]}
    # Its place among the types is where it is declared.
    assert list(types) == ["TOPIC", "ANSWER"]


@pytest.mark.parametrize(
    ("gb_types", "derive", "reason"),
    [
        ({}, {"from": "TOPIC", "exclude": {"values": ["sleep"]}}, "which TOPIC lacks"),
        ({}, {"from": "TOPIC", "exclude": {"phrases": ["heels"]}}, "which TOPIC lacks"),
        ({}, {"from": "NOWHERE"}, "no listed type"),
        ({}, {"from": "ANSWER"}, "no listed type"),
        ({}, {"from": "TOPIC", "exclude": {"phrases": ["stretching"]}}, "exclude the value"),
        ({}, {"from": "TOPIC", "exclude": {"words": ["water"]}}, "derive takes"),
        ({}, {"exclude": {}}, "needs 'from"),
        ({"ANSWER": {"water": ["water"]}}, DERIVE, "no values of its own"),
        ({"ANSWER": {"derive": DERIVE, "water": ["water"]}}, DERIVE, "no values of its own"),
        ({"ANSWER": {"derive": {"from": "OTHER"}}}, DERIVE, "not OTHER"),
    ],
)
def test_a_broken_derivation_fails_the_build_with_its_reason(
    tmp_path: Path, gb_types: dict[str, object], derive: dict[str, object], reason: str
) -> None:
    with pytest.raises(SentenceError, match=reason):
        build_model("en-GB", sentence_folder(tmp_path, _tree(gb_types, derive)))
