"""Envelopes between JSON and ask-sdk-model objects, as ask-sdk-core's DefaultSerializer maps them.

The SDK's serializer re-derives everything on every call: it re-imports each model class by name,
rebuilds each class's attribute map, re-parses type strings such as ``list[a.b.C]``, and parses
the request timestamp with dateutil's general-purpose parser. Profiling the endpoint showed that
work to be the largest single cost of answering a request. This module applies the same mapping
rules, in the same order and with the same results, but derives each class's and each type
string's plan once. Timestamps in the ISO 8601 form Alexa sends are read with
``datetime.fromisoformat``; anything else still goes through dateutil, as in the SDK.

Every failure is a ``SerializationException``, as it is from the SDK. One deliberate difference:
an undeclared key starting with ``__`` is refused rather than set on the model object, where
``"__dict__": {}`` would have emptied it and left the skill failing on every attribute.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from importlib import import_module
from types import MappingProxyType
from typing import Any, Final

from ask_sdk_core.exceptions import SerializationException
from dateutil.parser import parse as dateutil_parse  # type: ignore[import-untyped]

Convert = Callable[[Any], Any]
_Field = tuple[str, Convert]

_PRIMITIVES: tuple[type, ...] = (float, bool, bytes, str, int)
# Values that serialise to themselves, tested by exact type on the hot path.
_PLAIN = frozenset({str, int, float, bool})
_NATIVE: Final[Mapping[str, type]] = MappingProxyType(
    {
        "int": int,
        "long": int,
        "float": float,
        "str": str,
        "bool": bool,
        "date": date,
        "datetime": datetime,
        "object": object,
    }
)
_LIST = re.compile(r"list\[(.*)\]")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")
# What Alexa sends ("2024-05-01T03:12:45Z", optionally with fractions or an offset); other
# spellings go to dateutil, which accepts far more.
_ALEXA_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)


def from_json(payload: Any, obj_type: str | type) -> Any:
    """Map parsed JSON onto `obj_type` (a model class or an SDK type string)."""
    try:
        return _converter(obj_type)(payload)
    except SerializationException:
        raise
    except Exception as err:
        raise SerializationException(str(err)) from err


class PlainJson(dict[str, Any]):
    """A dict already made only of JSON values (str, numbers, bools, None, lists, dicts), such as
    an APL document: to_json returns it as it is instead of walking its hundreds of nodes, with
    the same result. Never mutated once built."""


def to_json(obj: Any) -> Any:
    """A model object (or any value inside one) as plain JSON-ready data."""
    if obj is None:
        return None
    if type(obj) is PlainJson:
        return obj
    if isinstance(obj, _PRIMITIVES):
        return obj
    if isinstance(obj, list):
        return [to_json(item) for item in obj]
    if isinstance(obj, tuple):
        return tuple(to_json(item) for item in obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, decimal.Decimal):
        return int(obj) if obj % 1 == 0 else float(obj)
    if isinstance(obj, dict):
        return {key: to_json(value) for key, value in obj.items()}
    fields = _serialized_fields(obj.__class__)
    return {
        key: value if type(value) in _PLAIN else to_json(value)
        for attr, key in fields
        if (value := getattr(obj, attr)) is not None
    }


@cache
def _serialized_fields(cls: Any) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON key) for every typed attribute of a model class, in declared order."""
    attribute_map: dict[str, str] = getattr(cls, "attribute_map", {})
    return tuple((attr, attribute_map.get(attr, attr)) for attr in cls.deserialized_types)


def _converter(obj_type: str | type) -> Convert:
    if isinstance(obj_type, str):
        return _type_string_converter(obj_type)
    return _class_converter(obj_type)


@cache
def _type_string_converter(obj_type: str) -> Convert:
    if obj_type.startswith("list["):
        match = _LIST.match(obj_type)
        if match is None:
            return lambda payload: None if payload is None else []
        inner = match.group(1)
        if "," in inner:
            items = [_converter(part.strip()) for part in inner.split(",")]
            return lambda payload: (
                None
                if payload is None
                else [convert(sub) for sub, convert in zip(payload, items, strict=False)]
            )
        item = _converter(inner.strip())
        return lambda payload: None if payload is None else [item(sub) for sub in payload]
    if obj_type.startswith("dict("):
        match = _DICT.match(obj_type)
        if match is None:
            return lambda payload: None if payload is None else {}
        value = _converter(match.group(2))
        return lambda payload: (
            None if payload is None else {key: value(sub) for key, sub in payload.items()}
        )
    native = _NATIVE.get(obj_type)
    return _class_converter(native if native is not None else _load_class(obj_type))


@cache
def _load_class(class_name: str) -> type:
    module_name, _, name = class_name.rpartition(".")
    try:
        loaded: type = getattr(import_module(module_name), name)
    except Exception as err:
        raise SerializationException(
            f"Unable to resolve class {class_name} from installed modules: {err}"
        ) from err
    return loaded


@cache
def _class_converter(cls: type) -> Convert:
    if cls in _PRIMITIVES:
        # A value already of the type converts to itself: skip the call.
        return lambda payload: (
            payload
            if type(payload) is cls
            else (None if payload is None else _primitive(payload, cls))
        )
    if cls is object:
        return lambda payload: payload
    if cls is date or cls is datetime:
        return lambda payload: None if payload is None else _timestamp(payload, cls)
    if issubclass(cls, Enum):
        return lambda payload: None if payload is None else cls(payload)
    if not hasattr(cls, "deserialized_types"):
        return lambda payload: payload
    if hasattr(cls, "get_real_child_model"):

        def by_discriminator(payload: Any) -> Any:
            if payload is None:
                return None
            child = cls.get_real_child_model(payload)
            if not child:
                raise SerializationException(
                    f"Couldn't resolve object by discriminator type for {cls} class"
                )
            return _model(payload, _load_class(child))

        return by_discriminator
    return lambda payload: None if payload is None else _model(payload, cls)


@cache
def _model_plan(cls: Any) -> tuple[tuple[tuple[str, str, Convert], ...], dict[str, _Field]]:
    """(attribute, JSON key, converter) per typed attribute, in declared order, and the same
    keyed by JSON key."""
    attribute_map: dict[str, str] = getattr(cls, "attribute_map", {})
    types: dict[str, str] = cls.deserialized_types
    keys = {**attribute_map, **{attr: attr for attr in types if attr not in attribute_map}}
    plan = tuple((attr, key, _converter(types[attr])) for attr, key in keys.items())
    return plan, {key: (attr, convert) for attr, key, convert in plan}


def _model(payload: Any, cls: Any) -> Any:
    plan, by_key = _model_plan(cls)
    model = cls()
    extras: list[str] = []
    if type(payload) is dict:
        # The usual case, walked by the payload's keys: a model declares many more attributes
        # than a request carries.
        for key, value in payload.items():
            field = by_key.get(key)
            if field is None:
                extras.append(key)
            else:
                setattr(model, field[0], field[1](value))
    else:
        # Anything else behaves exactly as in the SDK (which mostly means an error).
        for attr, key, convert in plan:
            if key in payload:
                setattr(model, attr, convert(payload[key]))
        extras = [key for key in payload if key not in by_key]
    # Like the SDK, keys the model does not declare are kept as plain attributes, set last;
    # unlike it, never one such as "__dict__" or "__class__", which would wreck the object.
    for extra in extras:
        if isinstance(extra, str) and extra.startswith("__"):
            raise SerializationException(f"{cls.__name__} cannot take a key {extra!r}")
        setattr(model, extra, payload[extra])
    return model


def _primitive(payload: Any, cls: type) -> Any:
    try:
        return cls(payload)
    except TypeError:
        return payload
    except ValueError as err:
        raise SerializationException(
            f"Failed to parse {payload} into '{cls.__name__}' object"
        ) from err


def _timestamp(payload: Any, cls: type) -> Any:
    try:
        if isinstance(payload, str) and _ALEXA_TIMESTAMP.fullmatch(payload):
            parsed = datetime.fromisoformat(payload)
        else:
            parsed = dateutil_parse(payload)
    except ValueError as err:
        raise SerializationException(
            f"Failed to parse {payload} into '{cls.__name__}' object"
        ) from err
    return parsed.date() if cls is date else parsed
