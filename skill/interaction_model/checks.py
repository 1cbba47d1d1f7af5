"""Checks an interaction model the way the Alexa developer console does before a build.

A pure function of what the reader (reader.py) made of the JSON, so the tests, the `check-model`
command and any pre-upload step all judge a model the same way, without a round trip to Amazon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from skill.interaction_model.model import IntentDef, SlotType, normalise_phrase
from skill.interaction_model.reader import Finding, ModelReading, read_model
from skill.interaction_model.reader import error as _error
from skill.interaction_model.reader import warning as _warning

REQUIRED_BUILTINS: Final = (
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)
MIN_SAMPLES: Final = 3

# Amazon's invocation-name requirements. The launch phrases and connecting words Amazon names
# would be parsed as part of "Alexa, ask X to ...", so they are banned anywhere; other openers
# only at the start, where "open open ..." would confuse the launch.
_LAUNCH_WORDS: Final = frozenset({"launch", "ask", "tell", "load", "begin", "enable"})
_LEADING_LAUNCH_WORDS: Final = _LAUNCH_WORDS | {"open", "start", "play", "run", "use", "resume"}
_CONNECTING_WORDS: Final = frozenset({"to", "from", "by", "if", "and", "whether"})
_WAKE_WORDS: Final = frozenset({"alexa", "amazon", "echo", "computer", "ziggy"})
_RESERVED_WORDS: Final = frozenset({"skill", "app"})
_TWO_WORD_BANNED: Final = frozenset({"the", "a", "an", "for", "to", "of"})
_INVOCATION_LENGTH: Final = (2, 50)
_INVOCATION_WORD: Final = re.compile(r"[a-z]+('s|s')?|[a-z]\.|[a-z]+'[a-z]+")

_SLOT_REF: Final = re.compile(r"\{([^{}]*)\}")
_SLOT_NAME: Final = re.compile(r"[A-Za-z][A-Za-z_]*")
_SAMPLE_PUNCTUATION: Final = frozenset(" '.")


def check_model(raw: Mapping[str, Any]) -> list[Finding]:
    """Every finding for an ASK CLI interaction model (`{"interactionModel": ...}`)."""
    return check_reading(read_model(raw))


def check_reading(reading: ModelReading) -> list[Finding]:
    """The reader's findings about the file's shape, then the console's rules on what it read."""
    model = reading.model
    if model is None:
        return list(reading.findings)
    findings = list(reading.findings)
    if model.invocation_name:
        findings += check_invocation_name(model.invocation_name)
    intents = list(model.intents.values())
    types = list(model.slot_types.values())
    findings += _check_builtins(intents)
    findings += _check_samples(intents)
    findings += _check_slots(intents, types)
    findings += _check_types(types)
    return findings


def check_invocation_name(name: str) -> list[Finding]:
    """Amazon's invocation-name requirements that can be judged from the text alone."""
    findings: list[Finding] = []
    shortest, longest = _INVOCATION_LENGTH
    if not shortest <= len(name) <= longest:
        findings.append(
            _error(
                "invocation-length",
                f"invocation name {name!r} must be {shortest} to {longest} characters",
            )
        )
    if name != name.lower():
        findings.append(_error("invocation-case", f"invocation name {name!r} must be lowercase"))
    if name != " ".join(name.split()):
        findings.append(
            _error("invocation-spacing", f"invocation name {name!r}: one space between words")
        )
    words = name.lower().split()
    bad = [word for word in words if not _INVOCATION_WORD.fullmatch(word)]
    if bad:
        findings.append(
            _error(
                "invocation-chars",
                f"invocation name {name!r}: {bad} - only letters, possessive apostrophes and "
                "periods in abbreviations (a. b. c.); spell numbers out",
            )
        )
    bare = [word.strip(".'").removesuffix("'s") for word in words]
    if len(words) == 1:
        findings.append(
            _warning(
                "invocation-one-word",
                f"invocation name {name!r} is one word: allowed only for a brand you own",
            )
        )
    if len(words) == 2 and _TWO_WORD_BANNED & set(words):
        findings.append(
            _error(
                "invocation-two-word-article",
                f"two-word invocation name {name!r} may not use an article or preposition",
            )
        )
    if (bare and bare[0] in _LEADING_LAUNCH_WORDS) or _LAUNCH_WORDS & set(bare):
        findings.append(
            _error("invocation-launch-word", f"invocation name {name!r} contains a launch phrase")
        )
    if _CONNECTING_WORDS & set(bare):
        findings.append(
            _error(
                "invocation-connecting-word",
                f"invocation name {name!r} contains a connecting word",
            )
        )
    if _WAKE_WORDS & set(bare):
        findings.append(
            _error("invocation-wake-word", f"invocation name {name!r} contains a wake word")
        )
    if _RESERVED_WORDS & set(bare):
        findings.append(
            _error(
                "invocation-reserved-word",
                f"invocation name {name!r} may not contain 'skill' or 'app'",
            )
        )
    return findings


def _check_builtins(intents: list[IntentDef]) -> Iterator[Finding]:
    present = {intent.name for intent in intents}
    for required in REQUIRED_BUILTINS:
        if required not in present:
            yield _error("missing-builtin", f"required built-in intent {required} is missing")


def _check_samples(intents: list[IntentDef]) -> Iterator[Finding]:
    owner: dict[str, str] = {}
    for intent in intents:
        seen: set[str] = set()
        for sample in intent.samples:
            yield from _check_sample_text(intent.name, sample)
            spaced = " ".join(sample.split())
            literal = spaced.lower()
            if literal in seen:
                yield _warning(
                    "duplicate-sample", f"{intent.name}: sample {sample!r} is listed twice"
                )
                continue
            seen.add(literal)
            # Alexa sees a slot as its type, so "{muscle} cramp" and "{leg} cramp" collide when
            # both slots are MUSCLE.
            key = _with_slot_types(spaced, intent.slots).lower()
            first = owner.setdefault(key, intent.name)
            if first != intent.name:
                yield _error(
                    "sample-conflict",
                    f"sample {sample!r} of {intent.name} is also a sample of {first}",
                )
        if not intent.builtin:
            if not seen:
                yield _error("no-samples", f"custom intent {intent.name} has no samples")
            elif len(seen) < MIN_SAMPLES:
                yield _warning(
                    "few-samples",
                    f"{intent.name} has {len(seen)} samples; give it at least {MIN_SAMPLES}",
                )


def _check_sample_text(intent: str, sample: str) -> Iterator[Finding]:
    # An empty sample is the reader's finding: it never reaches the model.
    bad_refs = [ref for ref in _SLOT_REF.findall(sample) if not _SLOT_NAME.fullmatch(ref)]
    rest = _SLOT_REF.sub(" ", sample)
    bad_chars = sorted({ch for ch in rest if not (ch.isalpha() or ch in _SAMPLE_PUNCTUATION)})
    if bad_refs or bad_chars:
        yield _error(
            "invalid-sample-chars",
            f"{intent}: sample {sample!r} has {bad_chars or bad_refs}: use letters, spaces, "
            "apostrophes, periods in abbreviations and {slot} only; spell numbers out",
        )


def _check_slots(intents: list[IntentDef], types: list[SlotType]) -> Iterator[Finding]:
    defined = {slot_type.name for slot_type in types}
    used: set[str] = set()
    for intent in intents:
        referenced = {ref for sample in intent.samples for ref in _SLOT_REF.findall(sample)}
        for ref in sorted(referenced - intent.slots.keys()):
            yield _error(
                "undeclared-slot", f"{intent.name}: samples use {{{ref}}}, which is not declared"
            )
        for slot, type_name in intent.slots.items():
            used.add(type_name)
            if slot not in referenced:
                yield _warning(
                    "unused-slot",
                    f"{intent.name}: slot {slot} appears in no sample, so never fills",
                )
            if type_name not in defined and not type_name.startswith("AMAZON."):
                yield _error(
                    "undefined-slot-type",
                    f"{intent.name}: slot {slot} has type {type_name}, which is not defined",
                )
    for name in sorted(defined - used):
        yield _warning("unused-slot-type", f"slot type {name} is defined but no slot uses it")


def _check_types(types: Iterable[SlotType]) -> Iterator[Finding]:
    for slot_type in types:
        owner: dict[str, str] = {}
        for value_id, (canonical, synonyms) in slot_type.values.items():
            for phrase in (canonical, *synonyms):
                # Compared as the runtime resolver compares them, so a clash here is a clash there.
                key = normalise_phrase(phrase)
                first = owner.setdefault(key, value_id)
                if first != value_id:
                    yield _warning(
                        "duplicate-slot-value",
                        f"{slot_type.name}: {phrase!r} belongs to both {first!r} and {value_id!r}",
                    )


def _with_slot_types(sample: str, slots: Mapping[str, str]) -> str:
    return _SLOT_REF.sub(
        lambda ref: "{type:" + slots.get(ref.group(1), ref.group(1)).lower() + "}", sample
    )
