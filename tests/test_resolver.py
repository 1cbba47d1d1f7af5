"""The simulator's resolver: typed text -> the intent, slots and entity resolution Alexa sends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from skill.entity_resolution import ER_SUCCESS_MATCH, ER_SUCCESS_NO_MATCH
from skill.envelopes import DEFAULT_SKILL_ID
from skill.interaction_model import InteractionModel, load_model, parse_model
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.simulator.resolver import FALLBACK_INTENT, Resolution, Resolver, resolve
from skill.simulator.samples import heard_words

LOCALES = available_locales()
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _intents() -> Iterator[tuple[str, str]]:
    for locale in LOCALES:
        for name, intent in load_model(locale).intents.items():
            if intent.samples:
                yield locale, name


# Built-in types the simulator reads by grammar: a few spoken values, and what Alexa sends.
_BUILTIN_PHRASES: dict[str, tuple[tuple[str, str], ...]] = {
    "AMAZON.TIME": (
        ("ten", "10:00"),
        ("nine thirty p.m.", "21:30"),
        ("quarter to eleven", "10:45"),
    ),
}


def _phrases(model: InteractionModel, type_name: str) -> Iterator[tuple[str, str]]:
    """(spoken phrase, value id) for every canonical value and synonym of a slot type."""
    if type_name in _BUILTIN_PHRASES:
        yield from _BUILTIN_PHRASES[type_name]
        return
    for value_id, (canonical, synonyms) in model.slot_types[type_name].values.items():
        yield canonical, value_id
        for synonym in synonyms:
            yield synonym, value_id


def _ids_named_by(model: InteractionModel, type_name: str, phrase: str) -> set[str]:
    if type_name in _BUILTIN_PHRASES:
        return {value for spoken, value in _BUILTIN_PHRASES[type_name] if spoken == phrase}
    key = " ".join(heard_words(phrase)).replace("'", "")
    return {
        value_id
        for spoken, value_id in _phrases(model, type_name)
        if " ".join(heard_words(spoken)).replace("'", "") == key
    }


def _filled(model: InteractionModel, intent: str, sample: str, slot: str, phrase: str) -> str:
    """`sample` with `slot` said as `phrase` and any other slot as its type's first value."""
    definition = model.intents[intent]
    text = sample.replace(f"{{{slot}}}", phrase)
    for other in _PLACEHOLDER.findall(text):
        type_name = definition.slots[other]
        slot_type = model.slot_types.get(type_name)
        if type_name in _BUILTIN_PHRASES:
            first = _BUILTIN_PHRASES[type_name][0][0]
        else:
            # A built-in type (AMAZON.SearchQuery) takes any words.
            first = next(iter(slot_type.values.values()))[0] if slot_type else "all night long"
        text = text.replace(f"{{{other}}}", first)
    return text


def _landed(
    model: InteractionModel, intent: str, resolution: Resolution, slot: str, phrase: str
) -> bool:
    # The value must land in a slot that can hold it: usually `slot`, but where two samples of
    # the intent read the same words ("{routine} stretches" and "{muscle} stretches" for "foot
    # stretches"), either slot is a fair reading.
    slots = model.intents[intent].slots
    return any(
        got in _ids_named_by(model, slots[name], phrase)
        for name, got in resolution.slot_ids().items()
        if name in slots and (slots[name] in model.slot_types or slots[name] in _BUILTIN_PHRASES)
    )


@pytest.mark.parametrize(("locale", "intent"), list(_intents()))
def test_every_sample_resolves_to_its_own_intent(locale: str, intent: str) -> None:
    """Each sample once (its slots filled with their types' first values), and each value and
    synonym of each slot once, in the intent's most anchored sample for that slot.

    Every sample with every synonym would be millions of resolutions for a model expanded from
    templates; each sample once finds a sample another intent shadows, and each synonym once
    finds a synonym that lands elsewhere."""
    model = load_model(locale)
    definition = model.intents[intent]
    wrong: list[str] = []
    for sample in definition.samples:
        slots = _PLACEHOLDER.findall(sample)
        if not slots:
            resolution = resolve(sample, locale)
            if resolution.intent != intent:
                wrong.append(f"{sample!r} -> {resolution.intent}")
            continue
        slot = slots[0]
        slot_type = model.slot_types.get(definition.slots[slot])
        if definition.slots[slot] in _BUILTIN_PHRASES:
            # A type the simulator reads by its grammar (AMAZON.TIME): said as Alexa hears it.
            phrase = _BUILTIN_PHRASES[definition.slots[slot]][0][0]
            resolution = resolve(_filled(model, intent, sample, slot, phrase), locale)
            if resolution.intent != intent or not _landed(model, intent, resolution, slot, phrase):
                wrong.append(f"{sample!r} -> {resolution.intent} {resolution.slot_ids()}")
            continue
        if slot_type is None:
            # Free words: only the intent can be checked.
            resolution = resolve(_filled(model, intent, sample, slot, "all night long"), locale)
            if resolution.intent != intent:
                wrong.append(f"{sample!r} -> {resolution.intent} {resolution.slot_ids()}")
            continue
        phrase = next(iter(slot_type.values.values()))[0]
        resolution = resolve(_filled(model, intent, sample, slot, phrase), locale)
        if resolution.intent != intent or not _landed(model, intent, resolution, slot, phrase):
            wrong.append(f"{sample!r} -> {resolution.intent} {resolution.slot_ids()}")
    for slot, type_name in definition.slots.items():
        with_slot = [s for s in definition.samples if f"{{{slot}}}" in s]
        if not with_slot or (
            type_name not in model.slot_types and type_name not in _BUILTIN_PHRASES
        ):
            continue
        anchored = max(with_slot, key=lambda s: len(_PLACEHOLDER.sub("", s).split()))
        for phrase, _ in _phrases(model, type_name):
            text = _filled(model, intent, anchored, slot, phrase)
            resolution = resolve(text, locale)
            if resolution.intent != intent or not _landed(model, intent, resolution, slot, phrase):
                wrong.append(f"{text!r} -> {resolution.intent} {resolution.slot_ids()}")
    assert not wrong, f"{len(wrong)} samples resolve elsewhere:\n" + "\n".join(wrong[:40])


def test_a_synonym_resolves_with_its_canonical_value_and_id() -> None:
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
        "value": "calves",
        "confirmationStatus": "NONE",
        "source": "USER",
        "resolutions": resolutions,
        "slotValue": {"type": "Simple", "value": "calves", "resolutions": resolutions},
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
    # "my {muscle}" could take "calf is cramping"; "my {muscle} is cramping" takes "calf".
    assert resolve("my calf is cramping").sample == "my {muscle} is cramping"
    # The model lists "ow my calf" literally too; Alexa still fills the slot she can fill.
    assert resolve("ow my calf").slot_ids() == {"query": None, "muscle": "calf", "symptom": None}


def test_every_declared_slot_is_sent_and_unfilled_ones_are_bare() -> None:
    resolution = resolve("stretch my calf", DEFAULT_LOCALE)
    assert resolution.intent == "GuidedStretchIntent"
    assert resolution.slots["routine"] == {"name": "routine", "confirmationStatus": "NONE"}
    assert resolution.slot_ids() == {"query": None, "routine": None, "muscle": "calf"}


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
        {"query": None, "muscle": "calf", "symptom": None},
    )


@pytest.mark.parametrize("text", ["I've got a cramp", "I\u2019ve got a cramp", "Ive got a cramp"])
def test_apostrophes_are_optional(text: str) -> None:
    assert resolve(text, DEFAULT_LOCALE).intent == "CrampReliefIntent"


@pytest.mark.parametrize(
    "text",
    ["what's the weather like", "play some jazz", "purple monkey dishwasher", "asdf qwerty"],
)
def test_nothing_matched_is_the_fallback_intent(text: str) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert resolution == Resolution(
        "intent", FALLBACK_INTENT, slots={}, new_session=False, utterance=resolution.utterance
    )


@pytest.mark.parametrize(
    "text",
    [
        "open cramp relief",
        "Alexa, open Cramp Relief.",
        "launch cramp relief",
        "start cramp relief",
        "begin cramp relief",
        "talk to cramp relief",
        "ask cramp relief",
        "can you open cramp relief",
        "let's open cramp relief",
        "I wanna talk to cramp relief",
    ],
)
def test_launch_forms(text: str) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert (resolution.kind, resolution.intent, resolution.new_session) == ("launch", None, True)
    assert resolution.slots == {}


@pytest.mark.parametrize(
    ("text", "intent", "slots", "utterance"),
    [
        (
            "ask cramp relief my calf is cramping",
            "CrampReliefIntent",
            {"query": None, "muscle": "calf", "symptom": None},
            "my calf is cramping",
        ),
        (
            "Alexa, ask Cramp Relief: what causes cramps?",
            "CauseIntent",
            {"query": None, "muscle": None},
            "what causes cramps",
        ),
        (
            "tell cramp relief to give me a tip",
            "PreventionTipIntent",
            {"query": None, "topic": None},
            None,
        ),
        (
            "ask cramp relief for a tip about bananas",
            "PreventionTipIntent",
            {"query": None, "topic": "potassium"},
            None,
        ),
        ("ask cramp relief about causes", "CauseIntent", {"query": None, "muscle": None}, "causes"),
        (
            "tell cramp relief that my foot is numb",
            "RedFlagIntent",
            {"symptom": "numbness", "also": None, "muscle": "foot", "lead": None, "filler": None},
            None,
        ),
        (
            "open cramp relief and give me a tip",
            "PreventionTipIntent",
            {"query": None, "topic": None},
            None,
        ),
        ("stretch my calf with cramp relief", "GuidedStretchIntent", None, "stretch my calf"),
        ("ask cramp relief something it has no answer for", FALLBACK_INTENT, {}, None),
        # Amazon's page: a lead-in before the whole phrase.
        ("let's stretch my calf using cramp relief", "GuidedStretchIntent", None, None),
        ("can you ask cramp relief why I get cramps", "CauseIntent", None, "why i get cramps"),
        ("I want to ask cramp relief if I should see a doctor", "DoctorIntent", None, None),
    ],
)
def test_one_shot_forms_start_a_new_session(
    text: str, intent: str, slots: dict[str, str | None] | None, utterance: str | None
) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert (resolution.kind, resolution.intent, resolution.new_session) == ("intent", intent, True)
    if slots is not None:
        assert resolution.slot_ids() == slots
    if utterance is not None:
        assert resolution.utterance == utterance


def test_in_session_speech_does_not_start_a_session() -> None:
    assert resolve("my calf is cramping", DEFAULT_LOCALE).new_session is False
    # A lead-in alone names no skill: "can you tell me" is not "tell <name>".
    assert resolve("can you tell me why I get cramps", DEFAULT_LOCALE).new_session is False


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("help", "AMAZON.HelpIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("shut up", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("never mind", "AMAZON.CancelIntent"),
        ("next", "AMAZON.NextIntent"),
        ("previous", "AMAZON.PreviousIntent"),
        ("go back", "AMAZON.PreviousIntent"),
        ("repeat", "AMAZON.RepeatIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("yes", "AMAZON.YesIntent"),
        ("Yeah!", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("nope", "AMAZON.NoIntent"),
        ("start over", "AMAZON.StartOverIntent"),
        ("pause", "AMAZON.PauseIntent"),
        ("resume", "AMAZON.ResumeIntent"),
        ("continue", "AMAZON.ResumeIntent"),
        ("home", "AMAZON.NavigateHomeIntent"),
    ],
)
@pytest.mark.parametrize("locale", LOCALES)
def test_built_in_phrases(locale: str, text: str, intent: str) -> None:
    assert resolve(text, locale).intent == intent


def _model(invocation: str, intents: list[dict[str, Any]]) -> InteractionModel:
    raw = {
        "interactionModel": {
            "languageModel": {"invocationName": invocation, "intents": intents, "types": []}
        }
    }
    return parse_model(DEFAULT_LOCALE, raw)


def test_model_samples_take_precedence_over_built_in_phrases() -> None:
    model = _model(
        "night helper",
        [
            {"name": "NextCrampIntent", "samples": ["next"]},
            {"name": "AMAZON.NextIntent", "samples": []},
            {"name": "AMAZON.StopIntent", "samples": []},
        ],
    )
    resolver = Resolver(model)
    assert resolver.resolve("next").intent == "NextCrampIntent"
    assert resolver.resolve("stop").intent == "AMAZON.StopIntent"


def test_only_declared_built_ins_are_recognised() -> None:
    resolver = Resolver(_model("night helper", [{"name": "AMAZON.StopIntent", "samples": []}]))
    assert resolver.resolve("yes").intent == FALLBACK_INTENT


def test_the_invocation_name_comes_from_the_model() -> None:
    resolver = Resolver(_model("night helper", [{"name": "AMAZON.StopIntent", "samples": []}]))
    assert resolver.resolve("open night helper").kind == "launch"
    assert resolver.resolve("open cramp relief").kind == "intent"
    assert resolver.resolve("ask night helper to stop").intent == "AMAZON.StopIntent"


@pytest.mark.parametrize("text", ["exit", "Quit!", "exit cramp relief", "exit the skill"])
def test_exit_ends_the_session(text: str) -> None:
    assert resolve(text, DEFAULT_LOCALE).kind == "exit"


@pytest.mark.parametrize("text", ["", "   ", "?!", "Alexa"])
def test_nothing_said_is_silence(text: str) -> None:
    assert resolve(text, DEFAULT_LOCALE) == Resolution("silence", None)


def test_unknown_locale_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        resolve("open cramp relief", "xx-XX")


def test_resolution_to_json() -> None:
    resolution = resolve("ask cramp relief my calf is cramping", DEFAULT_LOCALE)
    encoded = resolution.to_json()
    assert encoded["kind"] == "intent"
    assert encoded["intent"] == "CrampReliefIntent"
    assert encoded["newSession"] is True
    assert encoded["sample"] == "my {muscle} is cramping"
    assert encoded["slots"]["muscle"]["value"] == "calf"
