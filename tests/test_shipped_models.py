"""The shipped interaction models pass the console's checks, and their spoken values resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from skill.data import data_dir
from skill.interaction_model import (
    REQUIRED_BUILTINS,
    Finding,
    check_invocation_name,
    check_model,
    load_model,
    slot_id,
)
from skill.locales import available_locales

LOCALES = available_locales()


SLOT_REF = re.compile(r"\{(\w+)\}")


def raw_model(locale: str) -> dict[str, Any]:
    path = data_dir("interaction_models") / f"{locale}.json"
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == "error"]


def test_locales_are_discovered() -> None:
    # Guards the parametrised tests here and in test_model_contract.py: an empty list would make
    # them pass by not running.
    assert LOCALES
    assert sorted(LOCALES) == LOCALES
    on_disk = sorted(p.stem for p in data_dir("interaction_models").glob("*.json"))
    assert on_disk == LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_check_model_finds_no_errors(locale: str) -> None:
    assert errors(check_model(raw_model(locale))) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_check_model_finds_no_warnings_either(locale: str) -> None:
    assert check_model(raw_model(locale)) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_required_builtins_present(locale: str) -> None:
    assert set(REQUIRED_BUILTINS) <= set(load_model(locale).intents)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_custom_slot_type_used_is_defined(locale: str) -> None:
    model = load_model(locale)
    used = {t for intent in model.intents.values() for t in intent.slots.values()}
    assert {t for t in used if not t.startswith("AMAZON.")} <= set(model.slot_types)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sample_slot_is_declared(locale: str) -> None:
    for intent in load_model(locale).intents.values():
        for sample in intent.samples:
            assert set(SLOT_REF.findall(sample)) <= set(intent.slots), (intent.name, sample)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sample_in_two_intents(locale: str) -> None:
    # Worked out here independently of check_model, so a bug there cannot hide a clash.
    model = load_model(locale)
    owners: dict[str, set[str]] = {}
    for intent_def in model.intents.values():
        for sample in intent_def.samples:
            key = sample
            for slot, slot_type in intent_def.slots.items():
                key = key.replace("{" + slot + "}", "{" + slot_type + "}")
            owners.setdefault(" ".join(key.lower().split()), set()).add(intent_def.name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


@pytest.mark.parametrize("locale", LOCALES)
def test_invocation_name_passes_the_rules(locale: str) -> None:
    assert check_invocation_name(load_model(locale).invocation_name) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_custom_intents_have_plenty_of_samples(locale: str) -> None:
    model = load_model(locale)
    assert len(model.intents["CrampReliefIntent"].samples) >= 40
    for name, intent in model.intents.items():
        if not name.startswith("AMAZON."):
            assert len(intent.samples) >= 3, name


@pytest.mark.parametrize("locale", LOCALES)
def test_fallback_has_no_samples(locale: str) -> None:
    # Fallback is trained from everything that is not ours; samples would narrow it.
    assert load_model(locale).intents["AMAZON.FallbackIntent"].samples == ()


@pytest.mark.parametrize(
    ("slot_type", "spoken", "expected"),
    [
        ("MUSCLE", "Ball of my foot!", "ball_of_foot"),
        ("MUSCLE", "forefoot", "ball_of_foot"),
        ("MUSCLE", "charley horse", "leg"),
        ("MUSCLE", "charlie horse", "leg"),
        ("MUSCLE", "my left calf", "calf"),
        ("MUSCLE", "big toe", "toes"),
        ("MUSCLE", "instep", "arch"),
        ("MUSCLE", "nose", None),
        ("TIP_TOPIC", "Bananas", "potassium"),
        ("TIP_TOPIC", "sleeping position", "sleep_position"),
        ("TIP_TOPIC", "salt", "sodium"),
        ("ROUTINE", "bedtime", "bedtime"),
        ("ROUTINE", "cramp relief", "cramp_relief"),
        ("RED_FLAG", "pins and needles", "tingling"),
        ("RED_FLAG", "numb", "numbness"),
        ("RED_FLAG", "cramps every night", "every_night"),
        ("RED_FLAG", "blue", "colour_change"),
        ("RED_FLAG", "cold", "cold"),
        ("RED_FLAG", "can't breathe", "breathing"),
        ("RED_FLAG", "chest pain", "chest_pain"),
        ("RED_FLAG", "sudden severe pain", "pain"),
    ],
)
@pytest.mark.parametrize("locale", LOCALES)
def test_spoken_values_resolve_to_ids(
    locale: str, slot_type: str, spoken: str, expected: str | None
) -> None:
    assert slot_id(load_model(locale), slot_type, spoken) == expected


def test_british_wording() -> None:
    if "en-GB" not in LOCALES:
        pytest.skip("no en-GB model")
    model = load_model("en-GB")
    assert slot_id(model, "TIP_TOPIC", "trainers") == "footwear"
    assert slot_id(model, "RED_FLAG", "discoloured skin") == "skin_changes"
    assert "should I see my GP" in model.intents["DoctorIntent"].samples


def test_shipped_models_are_plain_utf8_json() -> None:
    # ASK CLI rejects a byte-order mark; a stray one is invisible in an editor.
    for path in Path(data_dir("interaction_models")).glob("*.json"):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
