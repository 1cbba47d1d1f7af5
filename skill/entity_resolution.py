"""Slots as Alexa's request JSON carries them, with their entity resolution: built and read here.

Amazon's request reference: a slot has a name, the words heard as `value`, and for a custom slot
type `resolutions.resolutionsPerAuthority`, each authority with a status code (ER_SUCCESS_MATCH
with the matching values' canonical names and ids, or ER_SUCCESS_NO_MATCH). A device also sends
`source` and a `slotValue` repeating the value and its resolutions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from skill.codec import to_json

ER_SUCCESS_MATCH: Final = "ER_SUCCESS_MATCH"
ER_SUCCESS_NO_MATCH: Final = "ER_SUCCESS_NO_MATCH"

# (value id, canonical name) of a slot-type value the words matched.
Match = tuple[str, str]


def resolutions(skill_id: str, slot_type: str, matches: Sequence[Match]) -> dict[str, Any]:
    """The skill's own authority for `slot_type`: a match for `matches`, or no match."""
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}",
        "status": {"code": ER_SUCCESS_MATCH if matches else ER_SUCCESS_NO_MATCH},
    }
    if matches:
        authority["values"] = [{"value": {"name": name, "id": id_}} for id_, name in matches]
    return {"resolutionsPerAuthority": [authority]}


def request_slot(
    name: str,
    value: str | None,
    *,
    skill_id: str,
    slot_type: str | None = None,
    matches: Sequence[Match] = (),
    from_device: bool = False,
) -> dict[str, Any]:
    """A slot as a request carries it: empty when `value` is None; with a custom `slot_type`, its
    entity resolution; `from_device` adds the `source` and `slotValue` a real device sends."""
    built: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is None:
        return built
    built["value"] = value
    resolved = None if slot_type is None else resolutions(skill_id, slot_type, matches)
    if resolved is not None:
        built["resolutions"] = resolved
    if from_device:
        built["source"] = "USER"
        slot_value: dict[str, Any] = {"type": "Simple", "value": value}
        if resolved is not None:
            slot_value["resolutions"] = resolved
        built["slotValue"] = slot_value
    return built


@dataclass(frozen=True)
class SlotReading:
    """What a request slot says: the words heard, the first authority's status, and the id of
    the first value an authority matched (None for each that is missing)."""

    value: str | None
    status: str | None
    match_id: str | None

    @property
    def summary(self) -> str | None:
        """The matched id, else the words heard, else None."""
        return self.match_id or self.value


def read_slot(slot: Mapping[str, Any]) -> SlotReading:
    """Read a request slot leniently: anything malformed reads as missing."""
    value = slot.get("value")
    resolved = slot.get("resolutions")
    authorities = resolved.get("resolutionsPerAuthority") if isinstance(resolved, Mapping) else None
    status: str | None = None
    match_id: str | None = None
    for position, authority in enumerate(authorities if isinstance(authorities, list) else []):
        code = _code(authority)
        if position == 0:
            status = code
        if code == ER_SUCCESS_MATCH and match_id is None:
            match_id = _first_id(authority)
    return SlotReading(value if isinstance(value, str) else None, status, match_id)


def read_model_slot(slot: object) -> SlotReading:
    """Read a slot as the SDK holds it (an ask-sdk-model `Slot`) by its request JSON, exactly as
    read_slot reads that JSON: one reading of entity resolution for handlers and tools alike."""
    raw = to_json(slot)
    return read_slot(raw if isinstance(raw, Mapping) else {})


def slot_summary(slot: Mapping[str, Any]) -> str | None:
    """A request slot's first entity-resolution id, else its spoken value, else None."""
    return read_slot(slot).summary


def _code(authority: object) -> str | None:
    status = authority.get("status") if isinstance(authority, Mapping) else None
    code = status.get("code") if isinstance(status, Mapping) else None
    return code if isinstance(code, str) else None


def _first_id(authority: Mapping[str, Any]) -> str | None:
    values = authority.get("values")
    first = values[0] if isinstance(values, list) and values else None
    value = first.get("value") if isinstance(first, Mapping) else None
    value_id = value.get("id") if isinstance(value, Mapping) else None
    return value_id if isinstance(value_id, str) else None
