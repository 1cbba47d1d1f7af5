"""skill.json against Amazon's own skill manifest types (ask-smapi-model): every key known, every
value of its declared type, every enum value allowed, every interface a known type."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest

from skill.content import ContentStore
from skill.package.build import build_manifest, store_listing

ENVELOPE = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
INTERFACE = "ask_smapi_model.v1.skill.manifest.interface.Interface"
INTERFACE_TYPE = "ask_smapi_model.v1.skill.manifest.interface_type.InterfaceType"
_LIST = re.compile(r"list\[(.+)\]")
_DICT = re.compile(r"dict\(str, (.+)\)")
_NATIVE: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "int": (int,),
    "float": (int, float),
    "object": (object,),
}


def _load(path: str) -> Any:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def schema_problems(value: Any, kind: str = ENVELOPE, where: str = "") -> Iterator[str]:
    """Where `value` departs from the SMAPI model type `kind` (a type string, as the models use)."""
    if kind in _NATIVE:
        if not isinstance(value, _NATIVE[kind]) or (kind != "bool" and isinstance(value, bool)):
            yield f"{where or '/'}: expected {kind}, got {type(value).__name__}"
        return
    if match := _LIST.fullmatch(kind):
        if not isinstance(value, list):
            yield f"{where}: expected a list"
            return
        for index, item in enumerate(value):
            yield from schema_problems(item, match.group(1), f"{where}/{index}")
        return
    if match := _DICT.fullmatch(kind):
        if not isinstance(value, dict):
            yield f"{where}: expected an object"
            return
        for key, item in value.items():
            yield from schema_problems(item, match.group(1), f"{where}/{key}")
        return
    cls = _load(kind)
    if issubclass(cls, Enum):
        if value not in {member.value for member in cls}:
            yield f"{where}: {value!r} is not one of {cls.__name__}"
        return
    if not isinstance(value, dict):
        yield f"{where}: expected a {cls.__name__} object"
        return
    if kind == INTERFACE:
        cls = _interface_class(value, where)
        if isinstance(cls, str):
            yield cls
            return
    names = {json_name: attr for attr, json_name in cls.attribute_map.items()}
    for key, item in value.items():
        if key not in names:
            yield f"{where}/{key}: not a {cls.__name__} property"
        else:
            yield from schema_problems(item, cls.deserialized_types[names[key]], f"{where}/{key}")


def _interface_class(value: dict[str, Any], where: str) -> Any:
    """The model class of one interface, by its type; a problem string when the type is unknown.
    (Interfaces without settings of their own, such as CAN_FULFILL_INTENT_REQUEST, have no class
    but are listed in InterfaceType.)"""
    base = _load(INTERFACE)
    kind = value.get("type")
    if kind in base.discriminator_value_class_map:
        return _load(base.discriminator_value_class_map[kind])
    if kind in {member.value for member in _load(INTERFACE_TYPE)}:
        if set(value) != {"type"}:
            return f"{where}: interface {kind} takes no settings"
        return base
    return f"{where}/type: {kind!r} is not an interface type"


def _manifest(store: ContentStore, **overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {"endpoint": "https://cramps.example.com/alexa", **overrides}
    listings = {locale: store_listing(store, locale) for locale in ("en-US", "en-GB")}
    return build_manifest(listings, **settings)


def test_the_exported_manifest_matches_amazons_types(content_store: ContentStore) -> None:
    manifest = _manifest(content_store, privacy_url="https://cramps.example.com/p")
    assert list(schema_problems(manifest)) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m["manifest"].update(apis2={}), "apis2: not a SkillManifest property"),
        (
            lambda m: m["manifest"]["publishingInformation"].update(isAvailableWorldwide="no"),
            "isAvailableWorldwide: expected bool",
        ),
        (
            lambda m: m["manifest"]["apis"]["custom"]["interfaces"].append({"type": "HOLOGRAM"}),
            "'HOLOGRAM' is not an interface type",
        ),
        (
            lambda m: m["manifest"]["apis"]["custom"]["endpoint"].update(
                sslCertificateType="Cheap"
            ),
            "'Cheap' is not one of",
        ),
    ],
)
def test_the_schema_check_finds_what_amazon_would_refuse(
    change: Any, problem: str, content_store: ContentStore
) -> None:
    manifest = _manifest(content_store)
    change(manifest)
    assert any(problem in found for found in schema_problems(manifest))
