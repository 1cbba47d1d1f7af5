"""The interaction models, loaded at runtime.

Handlers trust only slot-value ids the model defines: a spoken value or an entity-resolution id
that the model does not know is treated as no value at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

DATA_NAMES: Final = frozenset({"responses", "interaction_models"})

# Words a sleepy speaker puts in front of the thing itself ("my left calf"); the model's values
# name only the thing, so these are dropped when the whole phrase does not match.
_FILLER_WORDS: Final = frozenset({"my", "the", "a", "an", "both", "left", "right", "whole"})
_PUNCTUATION: Final = re.compile(r"[^\w\s]|_")


def data_dir(name: str) -> Path:
    """The folder holding `name` ("responses" or "interaction_models").

    A wheel ships the folders inside the package (skill/_data); a checkout keeps them at the top of
    the repository.
    """
    if name not in DATA_NAMES:
        raise ValueError(f"unknown data folder {name!r}; expected one of {sorted(DATA_NAMES)}")
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / name
    if packaged.is_dir():
        return packaged
    return package.parent / name


def available_locales() -> list[str]:
    """Locales that have an interaction model, from the file names, sorted."""
    return sorted(path.stem for path in data_dir("interaction_models").glob("*.json"))


def normalise_phrase(text: str) -> str:
    """Lowercase, apostrophes dropped ("can't" = "cant"), other punctuation as spaces."""
    text = text.casefold().replace("'", "").replace("\u2019", "")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


@dataclass(frozen=True)
class SlotValue:
    """One value of a slot type: its stable id and its canonical spoken name."""

    id: str
    name: str


@dataclass(frozen=True)
class SlotType:
    """A custom slot type: value id -> (canonical value, synonyms)."""

    name: str
    values: Mapping[str, tuple[str, tuple[str, ...]]]
    _index: Mapping[str, SlotValue] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = MappingProxyType(dict(self.values))
        index: dict[str, SlotValue] = {}
        # Canonical values win over synonyms, and ids come last, so a phrase listed twice
        # resolves the way the model's author most likely meant (check_model warns about it).
        for value_id, (canonical, _) in values.items():
            index.setdefault(normalise_phrase(canonical), SlotValue(value_id, canonical))
        for value_id, (canonical, synonyms) in values.items():
            for synonym in synonyms:
                index.setdefault(normalise_phrase(synonym), SlotValue(value_id, canonical))
        for value_id, (canonical, _) in values.items():
            index.setdefault(normalise_phrase(value_id), SlotValue(value_id, canonical))
        index.pop("", None)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_index", MappingProxyType(index))

    def resolve(self, spoken: str) -> SlotValue | None:
        """The value whose name or synonym was spoken, ignoring case and punctuation."""
        words = normalise_phrase(spoken).split()
        while words:
            match = self._index.get(" ".join(words))
            if match is not None:
                return match
            if words[0] not in _FILLER_WORDS:
                return None
            words = words[1:]
        return None


@dataclass(frozen=True)
class IntentDef:
    """An intent: its slots (slot name -> slot type name) and its sample utterances."""

    name: str
    slots: Mapping[str, str]
    samples: tuple[str, ...]


@dataclass(frozen=True)
class InteractionModel:
    """One locale's language model, read-only."""

    locale: str
    invocation_name: str
    intents: Mapping[str, IntentDef]
    slot_types: Mapping[str, SlotType]

    def slot_type_of(self, intent: str, slot: str) -> SlotType | None:
        """The custom type of `intent`'s `slot`; None for unknown slots and AMAZON.* types."""
        intent_def = self.intents.get(intent)
        if intent_def is None:
            return None
        type_name = intent_def.slots.get(slot)
        return None if type_name is None else self.slot_types.get(type_name)


def slot_id(model: InteractionModel, slot_type_name: str, spoken: str | None) -> str | None:
    """The id of the `slot_type_name` value that `spoken` names, or None.

    An unknown type name is a programming error and raises KeyError.
    """
    slot_type = model.slot_types[slot_type_name]
    if spoken is None:
        return None
    match = slot_type.resolve(spoken)
    return None if match is None else match.id


@cache
def load_model(locale: str) -> InteractionModel:
    """The interaction model for `locale` (e.g. "en-US"); LookupError if there is none."""
    # Checked against the discovered list so a locale from a request can never name another path.
    if locale not in available_locales():
        raise LookupError(f"no interaction model for {locale!r}; have {available_locales()}")
    path = data_dir("interaction_models") / f"{locale}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, Mapping):
        raise ValueError(f"{path}: expected a JSON object")
    try:
        return parse_model(locale, raw)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error


def parse_model(locale: str, raw: Mapping[str, Any]) -> InteractionModel:
    """Build an InteractionModel from ASK CLI JSON; ValueError if its shape is wrong."""
    language = _mapping(
        _mapping(raw.get("interactionModel"), "interactionModel").get("languageModel"),
        "languageModel",
    )
    invocation = language.get("invocationName")
    if not isinstance(invocation, str):
        raise ValueError("invocationName must be a string")
    intents: dict[str, IntentDef] = {}
    for item in _list(language.get("intents"), "intents"):
        intent = _parse_intent(_mapping(item, "intent"))
        if intent.name in intents:
            raise ValueError(f"intent {intent.name} is defined twice")
        intents[intent.name] = intent
    slot_types: dict[str, SlotType] = {}
    for item in _list(language.get("types", []), "types"):
        slot_type = _parse_type(_mapping(item, "type"))
        if slot_type.name in slot_types:
            raise ValueError(f"slot type {slot_type.name} is defined twice")
        slot_types[slot_type.name] = slot_type
    return InteractionModel(
        locale=locale,
        invocation_name=invocation,
        intents=MappingProxyType(intents),
        slot_types=MappingProxyType(slot_types),
    )


def _parse_intent(raw: Mapping[str, Any]) -> IntentDef:
    name = _string(raw.get("name"), "intent name")
    slots: dict[str, str] = {}
    for item in _list(raw.get("slots", []), f"{name} slots"):
        slot = _mapping(item, f"{name} slot")
        slots[_string(slot.get("name"), f"{name} slot name")] = _string(
            slot.get("type"), f"{name} slot type"
        )
    samples = tuple(
        _string(sample, f"{name} sample") for sample in _list(raw.get("samples", []), name)
    )
    return IntentDef(name=name, slots=MappingProxyType(slots), samples=samples)


def _parse_type(raw: Mapping[str, Any]) -> SlotType:
    name = _string(raw.get("name"), "slot type name")
    values: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item in _list(raw.get("values"), f"{name} values"):
        value = _mapping(_mapping(item, f"{name} value").get("name"), f"{name} value name")
        canonical = _string(value.get("value"), f"{name} value")
        synonyms = tuple(
            _string(synonym, f"{name} synonym")
            for synonym in _list(value.get("synonyms", []), f"{name} synonyms")
        )
        # Amazon makes ids optional; without one the value itself is what a handler sees.
        value_id = item.get("id") or canonical
        if not isinstance(value_id, str):
            raise ValueError(f"{name}: value id must be a string")
        if value_id in values:
            raise ValueError(f"{name}: value id {value_id!r} is used twice")
        values[value_id] = (canonical, synonyms)
    return SlotType(name=name, values=values)


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be an object")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list")
    return value


def _string(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string")
    return value
