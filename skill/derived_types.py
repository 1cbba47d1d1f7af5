"""Slot types derived from another in `_types.yaml`, so a narrower copy of a type cannot drift.

    TIP_ANSWER:
      derive:
        from: TIP_TOPIC
        exclude:
          values: [stretching]    # value ids left out whole
          phrases: [heels]        # phrases left out of whichever value holds them

The derived type has the source's values and phrases, in the source's order, after every folder
of the locale has added its own, less what `exclude` names. Each exclusion must name something
the source has, so a stale one fails the build instead of hiding a change in the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The key of a type in `_types.yaml` that declares it derived; never a value id.
DERIVE_KEY = "derive"


class DerivationError(ValueError):
    """A derivation that names no source, or excludes what the source does not have."""


@dataclass
class Derivation:
    """One derived type: its source and what it leaves out, gathered from every folder."""

    source: str
    values: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)


def _names(raw: object, where: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise DerivationError(f"{where}: expected a list of non-empty strings")
    return [str(v) for v in raw]


def merge_derivation(
    derivations: dict[str, Derivation], type_name: str, entry: Mapping[str, object], where: str
) -> None:
    """Add one folder's `derive:` entry for `type_name` (a locale may exclude more)."""
    if set(entry) != {DERIVE_KEY}:
        raise DerivationError(f"{where}: a derived type lists no values of its own")
    raw = entry[DERIVE_KEY]
    if not isinstance(raw, Mapping) or not isinstance(raw.get("from"), str):
        raise DerivationError(f"{where}: derive needs 'from: SLOT_TYPE'")
    unknown = set(raw) - {"from", "exclude"}
    exclude = raw.get("exclude") or {}
    if unknown or not isinstance(exclude, Mapping) or set(exclude) - {"values", "phrases"}:
        raise DerivationError(f"{where}: derive takes from and exclude (values, phrases)")
    source = str(raw["from"])
    found = derivations.setdefault(type_name, Derivation(source))
    if found.source != source:
        raise DerivationError(f"{where}: derived from {found.source} elsewhere, not {source}")
    found.values += _names(exclude.get("values"), f"{where} exclude.values")
    found.phrases += _names(exclude.get("phrases"), f"{where} exclude.phrases")


def apply_derivations(
    types: dict[str, dict[str, list[str]]], derivations: Mapping[str, Derivation]
) -> None:
    """Fill each derived type in `types` (where it keeps its place) from its source."""
    for name, derivation in derivations.items():
        if types.get(name):
            raise DerivationError(f"{name}: a derived type lists no values of its own")
        if derivation.source in derivations or derivation.source not in types:
            raise DerivationError(f"{name}: derived from {derivation.source}, no listed type")
        types[name] = derive(name, derivation, types[derivation.source])


def derive(
    name: str, derivation: Derivation, source: Mapping[str, list[str]]
) -> dict[str, list[str]]:
    """The values of type `name`: its source's, less the exclusions (DerivationError if one
    names nothing the source has, or leaves a value with no phrase)."""
    phrases = {phrase for values in source.values() for phrase in values}
    missing = [v for v in derivation.values if v not in source]
    missing += [p for p in derivation.phrases if p not in phrases]
    if missing:
        raise DerivationError(f"{name}: excludes {missing}, which {derivation.source} lacks")
    derived: dict[str, list[str]] = {}
    for value_id, words in source.items():
        if value_id in derivation.values:
            continue
        kept = [word for word in words if word not in derivation.phrases]
        if not kept:
            raise DerivationError(f"{name}: excludes every phrase of {value_id}; exclude the value")
        derived[value_id] = kept
    return derived
