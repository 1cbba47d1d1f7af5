"""The one reader of interaction-model JSON (the ASK CLI's `{"interactionModel": ...}` files).

`read_model` is lenient: it keeps what it can and reports each problem with the file's shape as a
Finding, so `check-model` can list them all. `parse_model` and `load_model` are strict: the same
reading, raising ValueError when it found an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

from skill.data import data_dir
from skill.interaction_model.model import IntentDef, InteractionModel, SlotType
from skill.locales import available_locales

Level = Literal["error", "warning"]
_BYTE_ORDER_MARK: Final = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Finding:
    """One problem: an error must be fixed before upload or certification; a warning is worth a
    look."""

    level: Level
    code: str
    message: str


def error(code: str, message: str) -> Finding:
    return Finding("error", code, message)


def warning(code: str, message: str) -> Finding:
    return Finding("warning", code, message)


@dataclass(frozen=True)
class ModelReading:
    """What a model file holds, as far as it could be read, and what was wrong with its shape.

    `model` is None when there is no language model at all (not JSON, not an object, no
    interactionModel.languageModel).
    """

    model: InteractionModel | None
    findings: tuple[Finding, ...]

    def require(self, where: str = "") -> InteractionModel:
        """The model; ValueError naming every error if the reading found any."""
        problems = [finding.message for finding in self.findings if finding.level == "error"]
        if self.model is None or problems:
            prefix = f"{where}: " if where else ""
            raise ValueError(prefix + "; ".join(problems or ["no interaction model"]))
        return self.model


def read_model(raw: object, locale: str = "") -> ModelReading:
    """Read parsed ASK CLI JSON leniently: every problem becomes a Finding."""
    language = raw.get("interactionModel") if isinstance(raw, Mapping) else None
    language = language.get("languageModel") if isinstance(language, Mapping) else None
    if not isinstance(language, Mapping):
        return ModelReading(None, (error("structure", "no interactionModel.languageModel object"),))
    findings: list[Finding] = []
    invocation = language.get("invocationName")
    if not isinstance(invocation, str) or not invocation:
        findings.append(error("invocation-missing", "invocationName is missing"))
        invocation = ""
    intents = _intents(language.get("intents"), findings)
    slot_types = _types(language.get("types", []), findings)
    model = InteractionModel(
        locale=locale,
        invocation_name=invocation,
        intents=MappingProxyType(intents),
        slot_types=MappingProxyType(slot_types),
    )
    return ModelReading(model, tuple(findings))


def read_model_file(path: Path, locale: str = "") -> ModelReading:
    """Read a model file leniently; OSError or UnicodeDecodeError if it cannot be read at all."""
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    findings: list[Finding] = []
    if data.startswith(_BYTE_ORDER_MARK):
        # The ASK CLI refuses a byte-order mark, and an editor shows none.
        findings.append(error("byte-order-mark", "file starts with a byte-order mark"))
    try:
        raw: Any = json.loads(text)
    except ValueError as problem:
        return ModelReading(None, (*findings, error("json", f"not valid JSON: {problem}")))
    if not isinstance(raw, dict):
        return ModelReading(
            None, (*findings, error("structure", "the file must hold a JSON object"))
        )
    reading = read_model(raw, locale)
    return ModelReading(reading.model, (*findings, *reading.findings))


def parse_model(locale: str, raw: Mapping[str, Any]) -> InteractionModel:
    """Build an InteractionModel from ASK CLI JSON; ValueError if its shape is wrong."""
    return read_model(raw, locale).require()


def model_path(locale: str) -> Path:
    """The shipped model file of `locale`; LookupError if there is none."""
    # Checked against the discovered list so a locale from a request can never name another path.
    if locale not in available_locales():
        raise LookupError(f"no interaction model for {locale!r}; have {available_locales()}")
    return data_dir("interaction_models") / f"{locale}.json"


def load_model(locale: str) -> InteractionModel:
    """The interaction model for `locale` (e.g. "en-US"), read from its file; LookupError if
    there is none, ValueError if its file is malformed. The app reads each once, at start."""
    path = model_path(locale)
    return read_model_file(path, locale).require(str(path))


def _intents(raw: object, findings: list[Finding]) -> dict[str, IntentDef]:
    intents: dict[str, IntentDef] = {}
    for position, item in enumerate(_list_of(raw, "intents", findings)):
        name = item.get("name") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not name:
            findings.append(error("structure", f"intent #{position} has no name"))
            continue
        if name in intents:
            findings.append(error("duplicate-intent", f"intent {name} is defined twice"))
            continue
        slots = _slots(item.get("slots", []), name, findings)
        samples = _samples(item.get("samples", []), name, findings)
        intents[name] = IntentDef(name=name, slots=MappingProxyType(slots), samples=samples)
    return intents


def _slots(raw: object, intent: str, findings: list[Finding]) -> dict[str, str]:
    slots: dict[str, str] = {}
    for slot in _list_of(raw, f"{intent} slots", findings):
        name = slot.get("name") if isinstance(slot, Mapping) else None
        slot_type = slot.get("type") if isinstance(slot, Mapping) else None
        if not (isinstance(name, str) and name and isinstance(slot_type, str) and slot_type):
            findings.append(error("structure", f"{intent}: a slot lacks a name or type"))
            continue
        slots[name] = slot_type
    return slots


def _samples(raw: object, intent: str, findings: list[Finding]) -> tuple[str, ...]:
    samples: list[str] = []
    for sample in _list_of(raw, f"{intent} samples", findings):
        if not isinstance(sample, str):
            findings.append(error("structure", f"{intent}: sample {sample!r} is not text"))
        elif not sample.strip():
            findings.append(error("invalid-sample-chars", f"{intent}: empty sample"))
        else:
            samples.append(sample)
    return tuple(samples)


def _types(raw: object, findings: list[Finding]) -> dict[str, SlotType]:
    slot_types: dict[str, SlotType] = {}
    for item in _list_of(raw, "types", findings):
        name = item.get("name") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not name:
            findings.append(error("structure", "a slot type has no name"))
            continue
        if name in slot_types:
            findings.append(error("duplicate-type", f"slot type {name} is defined twice"))
            continue
        slot_types[name] = SlotType(name=name, values=_values(item.get("values"), name, findings))
    return slot_types


def _values(
    raw: object, type_name: str, findings: list[Finding]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    values: dict[str, tuple[str, tuple[str, ...]]] = {}
    for value in _list_of(raw, f"{type_name} values", findings):
        spoken = value.get("name") if isinstance(value, Mapping) else None
        text = spoken.get("value") if isinstance(spoken, Mapping) else None
        if not isinstance(spoken, Mapping) or not isinstance(text, str) or not text:
            findings.append(error("structure", f"{type_name}: a value has no name.value"))
            continue
        synonyms = _texts(spoken.get("synonyms", []), f"{type_name} synonyms", findings)
        value_id = _value_id(value.get("id"), type_name, text, findings)
        if value_id in values:
            findings.append(
                error("duplicate-slot-id", f"{type_name}: id {value_id!r} is used twice")
            )
            continue
        values[value_id] = (text, synonyms)
    return values


def _value_id(raw: object, type_name: str, text: str, findings: list[Finding]) -> str:
    # Amazon makes ids optional; without one the value itself is what a handler sees.
    if raw is None or raw == "":
        findings.append(warning("missing-slot-id", f"{type_name}: value {text!r} has no id"))
        return text
    if not isinstance(raw, str):
        findings.append(error("structure", f"{type_name}: value id must be a string"))
        return text
    return raw


def _texts(raw: object, what: str, findings: list[Finding]) -> tuple[str, ...]:
    texts: list[str] = []
    for item in _list_of(raw, what, findings):
        if isinstance(item, str) and item:
            texts.append(item)
        else:
            findings.append(error("structure", f"{what}: {item!r} is not text"))
    return tuple(texts)


def _list_of(raw: object, what: str, findings: list[Finding]) -> list[Any]:
    if isinstance(raw, list):
        return raw
    findings.append(error("structure", f"{what} must be a list"))
    return []
