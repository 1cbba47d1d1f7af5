"""Sentence templates, expanded into each locale's interaction model (the ASK CLI JSON).

The models are written as templates in Home Assistant's hassil syntax, not as hand-listed samples:
`(my|the) {muscle} [is|keeps] (cramping|seizing up)` stands for eight samples; `<rule>` inserts a
shared template from `_rules.yaml`; `{slot}` stays a slot of the Alexa sample.

    interaction_models/sentences/<folder>/
        _model.yaml       invocation: the invocation name
        _rules.yaml       rule name -> template, used as <rule name>
        _types.yaml       SLOT_TYPE -> value id -> [canonical value, synonym, ...],
                          or SLOT_TYPE -> derive: {from: SLOT_TYPE, exclude: ...}
        <Intent>.yaml     intent: name; slots: {slot: SLOT_TYPE}; sentences: [template, ...]

A locale (`en-GB`) reads its language folder (`en`) first and then its own: sentences and synonyms
add up, rules and the invocation name are replaced. Adding an intent is one file. The expansion
keeps within the limits below (Alexa's, or stricter); `cramp-relief build-model` writes the result
to interaction_models/<locale>.json, and a test fails when that file differs from the expansion.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml
from hassil.errors import MissingRuleError
from hassil.expression import Sentence
from hassil.parse_expression import parse_sentence
from hassil.parser import ParseError
from hassil.sample import sample_expression

from skill.data import data_dir
from skill.derived_types import (
    DERIVE_KEY,
    Derivation,
    DerivationError,
    apply_derivations,
    merge_derivation,
)

# A ceiling on all of a locale's sample characters. Amazon's Interaction Model Management API
# reference (developer.amazon.com/docs/smapi/interaction-model-operations.html) sends readers to
# an "Interaction model limits" page for the figures; that page was not among the documents this
# project could search (December 2026). What could be found: the API refuses a modelDefinition
# over 1,000,000 characters (github.com/alexa/ask-cli/issues/9), and developers report a
# "hazy limit of 200kb" of samples (github.com/m0ngr31/kanzi/pull/90). 200,000 is kept as the
# conservative reading of both; the models now sit just under it (README, "Adding a phrasing"),
# so a new phrasing is paid for by a trim.
MAX_SAMPLE_CHARACTERS: Final = 200_000
MAX_MODEL_CHARACTERS: Final = 1_000_000  # the API's modelDefinition limit (above), compact JSON
# Our own ceiling per intent: past it a template is multiplying words, not adding ways of saying.
MAX_SAMPLES_PER_INTENT: Final = 2_000
SEARCH_QUERY: Final = "AMAZON.SearchQuery"
# Alexa's limit on one sample utterance.
MAX_SAMPLE_LENGTH: Final = 200

_SLOT_REF: Final = re.compile(r"\{([^{}]+)\}")
# "it" + "'s still cramping" is "it's still cramping": an alternative may start with a contraction.
_CONTRACTION: Final = re.compile(r"(?<=\w) '(?=(?:s|ve|m|re|d|ll|t)\b)")
_SPECIAL_FILES: Final = frozenset({"_model.yaml", "_rules.yaml", "_types.yaml"})


class SentenceError(ValueError):
    """A template folder that cannot be expanded into a valid model."""


@dataclass
class IntentSource:
    """One intent's slots and templates, gathered from every folder of a locale."""

    name: str
    slots: dict[str, str] = field(default_factory=dict)
    templates: list[str] = field(default_factory=list)


@dataclass
class Sources:
    """Everything a locale's templates say, before expansion."""

    invocation: str | None = None
    rules: dict[str, str] = field(default_factory=dict)
    types: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Types made from another (skill/derived_types.py), filled in once every folder is read.
    derivations: dict[str, Derivation] = field(default_factory=dict)
    intents: dict[str, IntentSource] = field(default_factory=dict)


def sentences_root() -> Path:
    """interaction_models/sentences, beside the generated models."""
    return data_dir("interaction_models") / "sentences"


def template_locales(root: Path | None = None) -> list[str]:
    """The locales that have a template folder (a language folder alone builds nothing)."""
    root = root or sentences_root()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and "-" in p.name)


def folders_for(locale: str, root: Path) -> list[Path]:
    """The language folder, then the locale's, whichever exist."""
    names = [locale.split("-", 1)[0], locale]
    folders = [root / name for name in dict.fromkeys(names) if (root / name).is_dir()]
    if not (root / locale).is_dir():
        raise SentenceError(f"no template folder for {locale} under {root}")
    return folders


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SentenceError(f"{path}: {error}") from error


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SentenceError(f"{where}: expected a mapping")
    return value


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SentenceError(f"{where}: expected a list of non-empty strings")
    return [str(v) for v in value]


def load_sources(locale: str, root: Path | None = None) -> Sources:
    """Read and merge the template folders of `locale`."""
    root = root or sentences_root()
    sources = Sources()
    for folder in folders_for(locale, root):
        model = (
            _mapping(_read_yaml(folder / "_model.yaml"), f"{folder}/_model.yaml")
            if (folder / "_model.yaml").is_file()
            else {}
        )
        if "invocation" in model:
            sources.invocation = str(model["invocation"])
        if (folder / "_rules.yaml").is_file():
            rules = _mapping(_read_yaml(folder / "_rules.yaml"), f"{folder}/_rules.yaml")
            sources.rules.update({str(k): str(v) for k, v in rules.items()})
        if (folder / "_types.yaml").is_file():
            _merge_types(sources, _read_yaml(folder / "_types.yaml"), f"{folder}/_types.yaml")
        for path in sorted(folder.glob("*.yaml")):
            if path.name not in _SPECIAL_FILES:
                _merge_intent(sources, _read_yaml(path), path)
    if not sources.invocation:
        raise SentenceError(f"{locale}: no invocation name in any _model.yaml")
    try:
        apply_derivations(sources.types, sources.derivations)
    except DerivationError as error:
        raise SentenceError(f"{locale}: {error}") from error
    return sources


def _merge_types(sources: Sources, raw: object, where: str) -> None:
    for type_name, values in _mapping(raw, where).items():
        merged = sources.types.setdefault(str(type_name), {})
        if isinstance(values, Mapping) and DERIVE_KEY in values:
            try:
                merge_derivation(
                    sources.derivations, str(type_name), values, f"{where} {type_name}"
                )
            except DerivationError as error:
                raise SentenceError(str(error)) from error
            continue
        for value_id, phrases in _mapping(values, f"{where} {type_name}").items():
            words = _strings(phrases, f"{where} {type_name}.{value_id}")
            merged.setdefault(str(value_id), [])
            merged[str(value_id)] += [w for w in words if w not in merged[str(value_id)]]


def _merge_intent(sources: Sources, raw: object, path: Path) -> None:
    data = _mapping(raw, str(path))
    name = data.get("intent")
    if not isinstance(name, str) or name != path.stem:
        raise SentenceError(f"{path}: 'intent' must be the file's name, {path.stem!r}")
    source = sources.intents.setdefault(name, IntentSource(name))
    for slot, type_name in _mapping(data.get("slots"), f"{path} slots").items():
        if source.slots.get(str(slot), type_name) != type_name:
            raise SentenceError(f"{path}: slot {slot} changes type")
        source.slots[str(slot)] = str(type_name)
    source.templates += _strings(data.get("sentences") or [], f"{path} sentences")


def expand(template: str, rules: Mapping[str, Sentence]) -> list[str]:
    """Every sample a template stands for, with {slot} references kept, in order."""
    try:
        sentence = parse_sentence(template)
        texts = sample_expression(
            sentence.expression, expansion_rules=dict(rules), expand_lists=False
        )
        return [_CONTRACTION.sub("'", " ".join(text.split())) for text in texts]
    except (ParseError, MissingRuleError) as error:
        raise SentenceError(f"template {template!r}: {error}") from error


def _parsed_rules(rules: Mapping[str, str]) -> dict[str, Sentence]:
    parsed: dict[str, Sentence] = {}
    for name, text in rules.items():
        try:
            parsed[name] = parse_sentence(text)
        except ParseError as error:
            raise SentenceError(f"rule <{name}>: {error}") from error
    return parsed


def samples_of(source: IntentSource, rules: Mapping[str, Sentence]) -> list[str]:
    """An intent's expanded samples, each once, checked against its slots and the limits."""
    samples: dict[str, None] = {}
    for template in source.templates:
        for sample in expand(template, rules):
            if not sample:
                raise SentenceError(f"{source.name}: template {template!r} can expand to nothing")
            refs = _SLOT_REF.findall(sample)
            if len(refs) != len(set(refs)):
                raise SentenceError(f"{source.name}: {sample!r} names a slot twice")
            unknown = set(refs) - source.slots.keys()
            free = [ref for ref in refs if source.slots.get(ref) == SEARCH_QUERY]
            if free and (len(refs) > 1 or not _SLOT_REF.sub("", sample).strip()):
                # Alexa's rule: a free-words slot needs carrier words and no other slot.
                raise SentenceError(f"{source.name}: {sample!r}: {SEARCH_QUERY} stands alone")
            if unknown:
                raise SentenceError(f"{source.name}: {template!r} uses undeclared {unknown}")
            if " '" in sample:
                raise SentenceError(f"{source.name}: {sample!r}: no contraction after a slot")
            if len(sample) > MAX_SAMPLE_LENGTH:
                raise SentenceError(f"{source.name}: sample {sample!r} is too long")
            samples.setdefault(sample, None)
    if len(samples) > MAX_SAMPLES_PER_INTENT:
        raise SentenceError(
            f"{source.name} expands to {len(samples)} samples; at most {MAX_SAMPLES_PER_INTENT}"
        )
    return list(samples)


def _intent_order(name: str) -> tuple[bool, str]:
    # Custom intents first, then Amazon's built-ins, each alphabetically.
    return (name.startswith("AMAZON."), name)


def build_model(locale: str, root: Path | None = None) -> dict[str, Any]:
    """The ASK CLI interaction model for `locale`, expanded from its templates."""
    sources = load_sources(locale, root)
    rules = _parsed_rules(sources.rules)
    intents: list[dict[str, Any]] = []
    characters = 0
    for name in sorted(sources.intents, key=_intent_order):
        source = sources.intents[name]
        intent: dict[str, Any] = {"name": name}
        if source.slots:
            intent["slots"] = [{"name": s, "type": t} for s, t in source.slots.items()]
        samples = samples_of(source, rules)
        characters += sum(len(sample) for sample in samples)
        intent["samples"] = samples
        intents.append(intent)
    if characters > MAX_SAMPLE_CHARACTERS:
        raise SentenceError(
            f"{locale}: {characters} characters of samples; at most {MAX_SAMPLE_CHARACTERS}"
        )
    model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": sources.invocation,
                "intents": intents,
                "types": [_slot_type(name, values) for name, values in sources.types.items()],
            }
        }
    }
    size = len(json.dumps(model, separators=(",", ":"), ensure_ascii=False))
    if size > MAX_MODEL_CHARACTERS:
        raise SentenceError(f"{locale}: model of {size} characters; at most {MAX_MODEL_CHARACTERS}")
    return model


def _slot_type(name: str, values: Mapping[str, list[str]]) -> dict[str, Any]:
    return {
        "name": name,
        "values": [
            {"id": value_id, "name": {"value": phrases[0], "synonyms": phrases[1:]}}
            for value_id, phrases in values.items()
        ],
    }


def model_text(model: Mapping[str, Any]) -> str:
    """The model as it is committed: two-space JSON, non-ASCII kept, a final newline."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def sample_count(model: Mapping[str, Any]) -> dict[str, int]:
    """Intent name -> number of samples, for the build command's summary."""
    intents: Iterable[Mapping[str, Any]] = model["interactionModel"]["languageModel"]["intents"]
    return {intent["name"]: len(intent.get("samples", [])) for intent in intents}
