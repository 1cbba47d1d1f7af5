"""Slot values, checked against the interaction model: only ids we know reach a handler."""

from __future__ import annotations

from skill.interaction_model import load_model, slot_id


class SlotResolver:
    """Maps a slot's entity-resolution id or spoken words to one of the model's value ids."""

    def resolve(
        self, locale: str, slot_type: str, resolution_id: str | None, spoken: str | None
    ) -> str | None:
        model = load_model(locale)
        values = model.slot_types.get(slot_type)
        if values is None:
            return None
        if resolution_id is not None and resolution_id in values.values:
            return resolution_id
        return slot_id(model, slot_type, spoken)
