"""The simulator's resolver fills slots as Alexa does: values, synonyms, ids and authorities."""

from __future__ import annotations

import pytest

from skill.entity_resolution import ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH
from skill.envelopes import DEFAULT_SKILL_ID
from skill.locales import DEFAULT_LOCALE
from skill.simulator.resolver import resolve
from tests.helpers.slot_ids import slot_ids


def test_a_synonym_resolves_with_its_canonical_value_and_id() -> None:
    # "my calves" is itself a MUSCLE synonym: the words said are the slot's value.
    resolution = resolve("I have a cramp in my calves", DEFAULT_LOCALE)
    assert (resolution.kind, resolution.intent) == ("intent", "CrampReliefIntent")
    slot = resolution.slots["muscle"]
    resolutions = {
        "resolutionsPerAuthority": [
            {
                "authority": f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.MUSCLE",
                "status": {"code": ER_SUCCESS_MATCH},
                "values": [{"value": {"name": "calf", "id": "calf"}}],
            }
        ]
    }
    assert slot == {
        "name": "muscle",
        "value": "my calves",
        "confirmationStatus": "NONE",
        "source": "USER",
        "resolutions": resolutions,
        "slotValue": {"type": "Simple", "value": "my calves", "resolutions": resolutions},
    }


@pytest.mark.parametrize(
    ("text", "slot", "value_id", "heard"),
    [
        ("my ball of my foot is cramping", "muscle", "ball_of_foot", "ball of my foot"),
        ("tell me about bananas", "topic", "potassium", "bananas"),
        ("I have pins and needles", "symptom", "tingling", "pins and needles"),
        ("start the before bed routine", "routine", "bedtime", "before bed"),
        ("help me stretch my big toe", "muscle", "toes", "big toe"),
    ],
)
def test_synonyms_across_slot_types(text: str, slot: str, value_id: str, heard: str) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert resolution.slot_ids()[slot] == value_id
    assert resolution.slots[slot]["value"] == heard


def test_an_unknown_value_in_a_slot_is_no_match_with_the_words_heard() -> None:
    resolution = resolve("my elbow is cramping", DEFAULT_LOCALE)
    assert resolution.intent == "CrampReliefIntent"
    slot = resolution.slots["muscle"]
    assert slot["value"] == "elbow"
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["status"] == {"code": ER_SUCCESS_NO_MATCH}
    assert "values" not in authority


def test_a_known_value_beats_an_unknown_one_and_a_slot_beats_literal_words() -> None:
    # "my {muscle}" could take "calf is cramping"; three known values take it instead (pass 11:
    # MUSCLE holds "my calf", CRAMP_BE "is", CRAMP_STATE "cramping").
    assert resolve("my calf is cramping").sample == "{muscle} {be} {state}"
    # The model lists "ow my calf" literally too; Alexa still fills the slot she can fill.
    # (tuneH, pass 8: "{filler} {muscle}" fills the exclamation too, a known value.)
    assert resolve("ow my calf").slot_ids() == slot_ids(
        "CrampReliefIntent", muscle="calf", filler="filler"
    )


def test_every_declared_slot_is_sent_and_unfilled_ones_are_bare() -> None:
    resolution = resolve("stretch my calf", DEFAULT_LOCALE)
    assert resolution.intent == "GuidedStretchIntent"
    assert resolution.slots["routine"] == {"name": "routine", "confirmationStatus": "NONE"}
    assert resolution.slot_ids() == {
        "query": None,
        "routine": None,
        "muscle": "calf",
        "ask": None,
        "after": None,
        "end": None,
        "thing": None,
    }


def test_the_authority_names_the_skill_id() -> None:
    resolution = resolve("my calf is cramping", DEFAULT_LOCALE, skill_id="amzn1.ask.skill.mine")
    authority = resolution.slots["muscle"]["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["authority"] == "amzn1.er-authority.echo-sdk.amzn1.ask.skill.mine.MUSCLE"


@pytest.mark.parametrize(
    "text",
    [
        "my calf is cramping",
        "MY CALF IS CRAMPING!!!",
        "My calf... is cramping?",
        "  my   calf is  cramping ",
        "my calf, is cramping.",
    ],
)
def test_case_punctuation_and_spacing_are_ignored(text: str) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert (resolution.intent, resolution.slot_ids()) == (
        "CrampReliefIntent",
        slot_ids("CrampReliefIntent", muscle="calf", state="cramping", be="is"),
    )


@pytest.mark.parametrize("text", ["I've got a cramp", "I\u2019ve got a cramp", "Ive got a cramp"])
def test_apostrophes_are_optional(text: str) -> None:
    assert resolve(text, DEFAULT_LOCALE).intent == "CrampReliefIntent"
