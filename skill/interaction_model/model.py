"""One locale's interaction model as the skill uses it: typed and read-only.

Handlers trust only slot-value ids the model defines: a spoken value or an entity-resolution id
that the model does not know is treated as no value at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

# Words a sleepy speaker puts in front of the thing itself ("my left calf"); the model's values
# name only the thing, so these are dropped when the whole phrase does not match.
_FILLER_WORDS: Final = frozenset({"my", "the", "a", "an", "both", "left", "right", "whole"})
_PUNCTUATION: Final = re.compile(r"[^\w\s]|_")


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
    # The most words any name in _index has: how far `mentioned` looks ahead.
    _longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = MappingProxyType(dict(self.values))
        index: dict[str, SlotValue] = {}
        # Canonical values win over synonyms, so a phrase listed twice resolves the way the
        # model's author most likely meant (check_model warns about it). Ids are not names: as
        # Alexa's entity resolution, words match a value or a synonym, never the id spelled out
        # ("I'm breathing through it" is no `breathing` sign).
        for value_id, (canonical, _) in values.items():
            index.setdefault(normalise_phrase(canonical), SlotValue(value_id, canonical))
        for value_id, (canonical, synonyms) in values.items():
            for synonym in synonyms:
                index.setdefault(normalise_phrase(synonym), SlotValue(value_id, canonical))
        index.pop("", None)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_longest", max((len(key.split()) for key in index), default=0))

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

    def mentioned(self, spoken: str) -> frozenset[str]:
        """The ids of the values named anywhere in `spoken` ("uh my calf is" names calf).

        Alexa puts words it cannot place in a free slot; a value said inside them still tells
        what the person meant. The longest name wins where names overlap ("ball of the foot").
        """
        words = normalise_phrase(spoken).split()
        found: set[str] = set()
        start = 0
        while start < len(words):
            for size in range(min(self._longest, len(words) - start), 0, -1):
                match = self._index.get(" ".join(words[start : start + size]))
                if match is not None:
                    found.add(match.id)
                    start += size
                    break
            else:
                start += 1
        return frozenset(found)


@dataclass(frozen=True)
class IntentDef:
    """An intent: its slots (slot name -> slot type name) and its sample utterances."""

    name: str
    slots: Mapping[str, str]
    samples: tuple[str, ...]

    @property
    def builtin(self) -> bool:
        return self.name.startswith("AMAZON.")


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
