"""The simulator's resolver on every shipped sample: each reaches its intent, values their slot."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from skill.interaction_model import InteractionModel, load_model
from skill.locales import available_locales
from skill.simulator.resolver import Resolution, resolve
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
