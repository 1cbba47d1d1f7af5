"""Slot values, checked against the interaction model: only ids we know reach a handler."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from skill.interaction_model import InteractionModel, load_model, slot_id


class SlotResolver:
    """Maps a slot's entity-resolution id or spoken words to one of the model's value ids.

    It holds every locale's interaction model, read when the app is built: a malformed model
    stops the start instead of failing the first request in that locale.
    """

    def __init__(self, models: Mapping[str, InteractionModel]) -> None:
        self._models = MappingProxyType(dict(models))

    @classmethod
    def load(cls, locales: Iterable[str]) -> SlotResolver:
        """Read the shipped model of each locale; LookupError or ValueError as load_model."""
        return cls({locale: load_model(locale) for locale in locales})

    @property
    def models(self) -> Mapping[str, InteractionModel]:
        """Each locale's interaction model, read-only."""
        return self._models

    def model(self, locale: str) -> InteractionModel:
        """The interaction model of `locale`; LookupError if it was not loaded."""
        try:
            return self._models[locale]
        except KeyError:
            raise LookupError(f"no interaction model loaded for {locale!r}") from None

    def resolve(
        self, locale: str, slot_type: str, resolution_id: str | None, spoken: str | None
    ) -> str | None:
        model = self.model(locale)
        values = model.slot_types.get(slot_type)
        if values is None:
            return None
        if resolution_id is not None and resolution_id in values.values:
            return resolution_id
        return slot_id(model, slot_type, spoken)

    def mentioned(self, locale: str, slot_type: str, spoken: str) -> frozenset[str]:
        """The ids of `slot_type` values named anywhere in `spoken`; none for unknown types."""
        values = self.model(locale).slot_types.get(slot_type)
        return frozenset() if values is None else values.mentioned(spoken)
