"""Slot ids as `Resolution.slot_ids()` and the virtual-alexa driver give them: every slot the
intent declares in the locale's model, None where nothing filled it."""

from __future__ import annotations

from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE


def slot_ids(intent: str, locale: str = DEFAULT_LOCALE, **filled: str) -> dict[str, str | None]:
    """The declared slots of `intent`, `filled` ones with their ids and the rest None."""
    declared = load_model(locale).intents[intent].slots
    unknown = filled.keys() - declared.keys()
    if unknown:
        raise KeyError(f"{intent} declares no slot {sorted(unknown)}")
    return {name: filled.get(name) for name in declared}
