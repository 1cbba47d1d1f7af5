"""The interaction models: every locale found on disk passes the console's checks, keeps the
intent and slot contract the handlers rely on, and check_model really catches broken models."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from skill import create_app
from skill.data import data_dir
from skill.interaction_model import (
    REQUIRED_BUILTINS,
    Finding,
    InteractionModel,
    SlotType,
    check_invocation_name,
    check_model,
    load_model,
    parse_model,
    slot_id,
)
from skill.locales import DEFAULT_LOCALE, available_locales

LOCALES = available_locales()

# The handlers' contract: intent -> {slot: slot type}.
CONTRACT_INTENTS: dict[str, dict[str, str]] = {
    # `query` (AMAZON.SearchQuery) holds the free words around a carrier phrase ("why ...").
    "CrampReliefIntent": {"query": "AMAZON.SearchQuery", "muscle": "MUSCLE", "symptom": "RED_FLAG"},
    "StillCrampingIntent": {
        "query": "AMAZON.SearchQuery",
        "muscle": "MUSCLE",
        "symptom": "RED_FLAG",
    },
    "CauseIntent": {"query": "AMAZON.SearchQuery", "muscle": "MUSCLE"},
    "PreventionTipIntent": {"query": "AMAZON.SearchQuery", "topic": "TIP_TOPIC"},
    "DoctorIntent": {"query": "AMAZON.SearchQuery", "muscle": "MUSCLE"},
    "RedFlagIntent": {
        "symptom": "RED_FLAG",
        "also": "RED_FLAG",
        "muscle": "MUSCLE",
        "lead": "LEAD_IN",
        "filler": "FILLER",
    },
    "GuidedStretchIntent": {
        "query": "AMAZON.SearchQuery",
        "routine": "ROUTINE",
        "muscle": "MUSCLE",
    },
    "HeatOrColdIntent": {
        "query": "AMAZON.SearchQuery",
        "remedy": "HEAT_OR_COLD",
        "muscle": "MUSCLE",
        "symptom": "RED_FLAG",
        "choosing": "CHOOSING",
    },
    "CrampGoneIntent": {"query": "AMAZON.SearchQuery", "muscle": "MUSCLE"},
    # The routine controls' query only carries free words ("skip the wall one") to the safety
    # routes; the routine handlers read no slot.
    "SkipStepIntent": {"query": "AMAZON.SearchQuery"},
    "StepsLeftIntent": {"query": "AMAZON.SearchQuery"},
    "ForgetMeIntent": {},
    # The nightly bedtime reminder.
    "SetReminderIntent": {"time": "AMAZON.TIME"},
    "ChangeReminderIntent": {"time": "AMAZON.TIME"},
    "CancelReminderIntent": {},
    "ReminderStatusIntent": {},
    **{
        f"AMAZON.{name}Intent": {}
        for name in [
            "Help",
            "Stop",
            "Cancel",
            "NavigateHome",
            "Fallback",
            "Repeat",
            "Yes",
            "No",
            "Next",
            "Previous",
            "StartOver",
            "Pause",
            "Resume",
        ]
    },
}
CONTRACT_TYPE_IDS: dict[str, set[str]] = {
    "MUSCLE": {
        "foot",
        "arch",
        "toes",
        "calf",
        "heel",
        "ball_of_foot",
        "leg",
        "thigh",
        "hamstring",
        "hand",
    },
    "TIP_TOPIC": {
        "water",
        "electrolytes",
        "potassium",
        "magnesium",
        "calcium",
        "sodium",
        "food",
        "stretching",
        "sleep_position",
        "footwear",
        "exercise",
        "medicines",
    },
    "ROUTINE": {"cramp_relief", "bedtime", "foot", "toes", "calf"},
    "HEAT_OR_COLD": {"heat", "cold"},
    "LEAD_IN": {"have", "feel", "ask", "cramps", "call"},
    "FILLER": {"filler", "think"},
    "CHOOSING": {"filler", "choose"},
    # Each id's safety route is in responses/en-US/safety.toml.
    "RED_FLAG": {
        "chest_pain",
        "breathing",
        "coughing_blood",
        "colour_change",
        "cold_and_numb",
        "emergency",
        "swelling",
        "redness",
        "warmth",
        "tenderness",
        "numbness",
        "tingling",
        "weakness",
        "skin_changes",
        "every_night",
        "persistent",
        "sleep",
        "no_help",
        "medicine",
        "nerve",
        "circulation",
        "cold",
        "pain",
    },
}
SLOT_REF = re.compile(r"\{(\w+)\}")


def raw_model(locale: str) -> dict[str, Any]:
    path = data_dir("interaction_models") / f"{locale}.json"
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == "error"]


# --- the shipped models ---------------------------------------------------------------------


def test_locales_are_discovered() -> None:
    # Guards the parametrised tests below: an empty list would make them pass by not running.
    assert LOCALES
    assert sorted(LOCALES) == LOCALES
    on_disk = sorted(p.stem for p in data_dir("interaction_models").glob("*.json"))
    assert on_disk == LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_model_loads(locale: str) -> None:
    model = load_model(locale)
    assert model.locale == locale
    assert model.invocation_name == "cramp relief"
    assert set(model.intents) == set(CONTRACT_INTENTS)


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
def test_intent_slots_match_the_handlers_contract(locale: str) -> None:
    model = load_model(locale)
    for name, slots in CONTRACT_INTENTS.items():
        assert dict(model.intents[name].slots) == slots, name


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_type_ids_match_the_contract(locale: str) -> None:
    model = load_model(locale)
    assert {name: set(t.values) for name, t in model.slot_types.items()} == CONTRACT_TYPE_IDS


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


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_locales_agree_on_intents_slots_and_ids(locale: str) -> None:
    first, other = load_model(LOCALES[0]), load_model(locale)
    assert {n: dict(i.slots) for n, i in other.intents.items()} == {
        n: dict(i.slots) for n, i in first.intents.items()
    }
    assert {n: set(t.values) for n, t in other.slot_types.items()} == {
        n: set(t.values) for n, t in first.slot_types.items()
    }


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


# --- model.py ---------------------------------------------------------------------------------


def test_data_dir_finds_the_checkout_folders() -> None:
    assert data_dir("interaction_models").is_dir()
    assert data_dir("responses").is_dir()


def test_data_dir_refuses_other_names() -> None:
    with pytest.raises(ValueError):
        data_dir("../etc")


@pytest.mark.parametrize("locale", ["xx-XX", "../pyproject", ""])
def test_load_model_refuses_unknown_locales(locale: str) -> None:
    with pytest.raises(LookupError):
        load_model(locale)


def test_slot_id_unknown_type_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        slot_id(load_model(LOCALES[0]), "NO_SUCH_TYPE", "calf")


def test_slot_id_without_speech_is_none() -> None:
    assert slot_id(load_model(LOCALES[0]), "MUSCLE", None) is None


def test_slot_type_resolve() -> None:
    slot_type = SlotType(
        name="T",
        values={"big_one": ("Big One", ("large", "huge thing")), "small": ("small", ())},
    )
    assert slot_type.resolve("BIG ONE") is not None
    resolved = slot_type.resolve("  huge-thing. ")
    assert resolved is not None
    assert (resolved.id, resolved.name) == ("big_one", "Big One")
    assert slot_type.resolve("the small") is not None
    assert slot_type.resolve("big_one") is not None  # the id itself, for callers holding ids
    assert slot_type.resolve("medium") is None
    assert slot_type.resolve("") is None
    assert slot_type.resolve("my") is None


def test_slot_type_values_cannot_be_changed_through_the_model() -> None:
    source = {"a": ("a", ())}
    slot_type = SlotType(name="T", values=source)
    source["b"] = ("b", ())
    assert slot_type.resolve("b") is None
    with pytest.raises(TypeError):
        slot_type.values["c"] = ("c", ())  # type: ignore[index]


def test_parse_model_reads_a_minimal_model() -> None:
    model = parse_model(DEFAULT_LOCALE, minimal())
    assert isinstance(model, InteractionModel)
    assert dict(model.intents["CrampReliefIntent"].slots) == {"muscle": "MUSCLE"}
    slot_type = model.slot_type_of("CrampReliefIntent", "muscle")
    assert slot_type is not None and slot_type.name == "MUSCLE"
    assert model.slot_type_of("CrampReliefIntent", "nope") is None
    assert model.slot_type_of("NoIntent", "muscle") is None


@pytest.mark.parametrize(
    "breaks",
    [
        lambda raw: raw.pop("interactionModel"),
        lambda raw: lm(raw).pop("invocationName"),
        lambda raw: lm(raw).update(intents={}),
        lambda raw: lm(raw)["intents"].append(lm(raw)["intents"][0]),
        lambda raw: lm(raw)["types"][0]["values"].append(lm(raw)["types"][0]["values"][0]),
        lambda raw: lm(raw)["intents"][0].update(samples=[3]),
    ],
)
def test_parse_model_rejects_malformed_json(breaks: Callable[[dict[str, Any]], object]) -> None:
    raw = minimal()
    breaks(raw)
    with pytest.raises(ValueError):
        parse_model(DEFAULT_LOCALE, raw)


# --- check_model on broken models ---------------------------------------------------------------


def minimal() -> dict[str, Any]:
    """A small model that passes every check; each test below breaks one thing."""
    return copy.deepcopy(
        {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "cramp relief",
                    "intents": [
                        {
                            "name": "CrampReliefIntent",
                            "slots": [{"name": "muscle", "type": "MUSCLE"}],
                            "samples": ["cramp", "my {muscle} is cramping", "I've got a cramp"],
                        },
                        {
                            "name": "CauseIntent",
                            "slots": [],
                            "samples": ["why", "what causes cramps", "why does this happen"],
                        },
                        *({"name": name, "samples": []} for name in REQUIRED_BUILTINS),
                        {"name": "AMAZON.NextIntent", "samples": ["next"]},
                    ],
                    "types": [
                        {
                            "name": "MUSCLE",
                            "values": [
                                {"id": "foot", "name": {"value": "foot", "synonyms": ["feet"]}},
                                {"id": "calf", "name": {"value": "calf", "synonyms": []}},
                            ],
                        }
                    ],
                }
            }
        }
    )


def lm(raw: dict[str, Any]) -> dict[str, Any]:
    language: dict[str, Any] = raw["interactionModel"]["languageModel"]
    return language


def intent(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in lm(raw)["intents"] if i["name"] == name)


def codes(raw: Mapping[str, Any]) -> set[tuple[str, str]]:
    return {(finding.level, finding.code) for finding in check_model(raw)}


def test_the_minimal_model_is_clean() -> None:
    # Without this, the tests below could pass on findings the breakage did not cause.
    assert check_model(minimal()) == []


def set_invocation(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda raw: lm(raw).update(invocationName=name)


def add_intent(name: str, samples: list[str], **slots: str) -> Callable[[dict[str, Any]], None]:
    def change(raw: dict[str, Any]) -> None:
        lm(raw)["intents"].append(
            {
                "name": name,
                "slots": [{"name": slot, "type": kind} for slot, kind in slots.items()],
                "samples": samples,
            }
        )

    return change


def add_samples(name: str, *samples: str) -> Callable[[dict[str, Any]], None]:
    return lambda raw: intent(raw, name)["samples"].extend(samples)


def add_type(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda raw: lm(raw)["types"].append(
        {"name": name, "values": [{"id": "x", "name": {"value": "x"}}]}
    )


def add_synonym(value_index: int, synonym: str) -> Callable[[dict[str, Any]], None]:
    return lambda raw: lm(raw)["types"][0]["values"][value_index]["name"]["synonyms"].append(
        synonym
    )


def remove_intent(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda raw: lm(raw)["intents"].remove(intent(raw, name))


THREE = ["one thing", "another thing", "a third thing"]
BROKEN: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    ("launch word first", set_invocation("open cramp relief"), "error", "invocation-launch-word"),
    ("launch word inside", set_invocation("cramp ask relief"), "error", "invocation-launch-word"),
    ("capitals", set_invocation("Cramp Relief"), "error", "invocation-case"),
    ("digits", set_invocation("cramp relief two 2"), "error", "invocation-chars"),
    ("hyphen", set_invocation("cramp-relief now"), "error", "invocation-chars"),
    ("double space", set_invocation("cramp  relief"), "error", "invocation-spacing"),
    ("one word", set_invocation("cramps"), "warning", "invocation-one-word"),
    ("too short", set_invocation("c"), "error", "invocation-length"),
    ("too long", set_invocation("cramp relief " * 5), "error", "invocation-length"),
    ("wake word", set_invocation("alexa cramp relief"), "error", "invocation-wake-word"),
    ("echo", set_invocation("cramp echo"), "error", "invocation-wake-word"),
    ("skill", set_invocation("cramp skill"), "error", "invocation-reserved-word"),
    ("app", set_invocation("cramp relief app"), "error", "invocation-reserved-word"),
    ("two words, article", set_invocation("the cramps"), "error", "invocation-two-word-article"),
    ("connecting word", set_invocation("cramps and aches"), "error", "invocation-connecting-word"),
    ("no invocation", lambda raw: lm(raw).pop("invocationName"), "error", "invocation-missing"),
    ("no help", remove_intent("AMAZON.HelpIntent"), "error", "missing-builtin"),
    ("no stop", remove_intent("AMAZON.StopIntent"), "error", "missing-builtin"),
    ("no cancel", remove_intent("AMAZON.CancelIntent"), "error", "missing-builtin"),
    ("no home", remove_intent("AMAZON.NavigateHomeIntent"), "error", "missing-builtin"),
    ("no fallback", remove_intent("AMAZON.FallbackIntent"), "error", "missing-builtin"),
    ("sample twice", add_samples("CauseIntent", "Why "), "warning", "duplicate-sample"),
    ("sample in two", add_samples("CauseIntent", "cramp"), "error", "sample-conflict"),
    (
        "slot sample in two, by type",
        add_intent("StretchIntent", [*THREE, "my {leg} is cramping"], leg="MUSCLE"),
        "error",
        "sample-conflict",
    ),
    (
        "sample in a custom and a built-in",
        add_samples("AMAZON.NextIntent", "why does this happen"),
        "error",
        "sample-conflict",
    ),
    ("undeclared slot", add_samples("CauseIntent", "why {toe}"), "error", "undeclared-slot"),
    (
        "undefined type",
        add_intent("PainIntent", [*THREE, "it is {level}"], level="PAIN_LEVEL"),
        "error",
        "undefined-slot-type",
    ),
    ("unused type", add_type("ROUTINE"), "warning", "unused-slot-type"),
    ("unused slot", add_intent("X", THREE, muscle="MUSCLE"), "warning", "unused-slot"),
    ("two samples", add_intent("TwoIntent", THREE[:2]), "warning", "few-samples"),
    ("no samples", add_intent("EmptyIntent", []), "error", "no-samples"),
    ("value in two ids", add_synonym(1, "Feet"), "warning", "duplicate-slot-value"),
    (
        "duplicate id",
        lambda raw: lm(raw)["types"][0]["values"].append({"id": "foot", "name": {"value": "f"}}),
        "error",
        "duplicate-slot-id",
    ),
    (
        "missing id",
        lambda raw: lm(raw)["types"][0]["values"].append({"name": {"value": "heel"}}),
        "warning",
        "missing-slot-id",
    ),
    ("question mark", add_samples("CauseIntent", "why me?"), "error", "invalid-sample-chars"),
    ("digit", add_samples("CauseIntent", "why 2 cramps"), "error", "invalid-sample-chars"),
    ("hyphen", add_samples("CauseIntent", "night-time cramps"), "error", "invalid-sample-chars"),
    ("comma", add_samples("CauseIntent", "so, why"), "error", "invalid-sample-chars"),
    ("open brace", add_samples("CrampReliefIntent", "my {muscle"), "error", "invalid-sample-chars"),
    ("bad slot name", add_samples("CauseIntent", "why {2x}"), "error", "invalid-sample-chars"),
    ("empty sample", add_samples("CauseIntent", "  "), "error", "invalid-sample-chars"),
    ("intent twice", add_intent("CauseIntent", THREE), "error", "duplicate-intent"),
    ("intents not a list", lambda raw: lm(raw).update(intents={}), "error", "structure"),
    ("no language model", lambda raw: raw.pop("interactionModel"), "error", "structure"),
    ("nameless intent", lambda raw: lm(raw)["intents"].append({}), "error", "structure"),
    ("sample not text", add_samples("CauseIntent", 7), "error", "structure"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("breaks", "level", "code"),
    [pytest.param(breaks, level, code, id=label) for label, breaks, level, code in BROKEN],
)
def test_check_model_catches(
    breaks: Callable[[dict[str, Any]], object], level: str, code: str
) -> None:
    raw = minimal()
    breaks(raw)
    assert (level, code) in codes(raw)


def without_custom_types(raw: dict[str, Any]) -> None:
    lm(raw).pop("types")
    remove_intent("CrampReliefIntent")(raw)


@pytest.mark.parametrize(
    "fine",
    [
        set_invocation("sam's cramp relief"),
        set_invocation("a. b. c. cramps"),
        set_invocation("night cramp helper"),
        add_samples("CauseIntent", "what's a cramp", "why do I cramp at a.m."),
        add_intent("NumberIntent", [*THREE, "{count} cramps"], count="AMAZON.NUMBER"),
        add_samples("AMAZON.NextIntent"),  # built-ins need no samples
        without_custom_types,
    ],
)
def test_check_model_accepts_valid_variations(fine: Callable[[dict[str, Any]], object]) -> None:
    raw = minimal()
    fine(raw)
    assert check_model(raw) == []


def test_findings_say_where() -> None:
    raw = minimal()
    add_samples("CauseIntent", "cramp")(raw)
    (finding,) = check_model(raw)
    assert "CauseIntent" in finding.message and "CrampReliefIntent" in finding.message


def test_shipped_models_are_plain_utf8_json() -> None:
    # ASK CLI rejects a byte-order mark; a stray one is invisible in an editor.
    for path in Path(data_dir("interaction_models")).glob("*.json"):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_a_malformed_model_stops_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"interactionModel": {"languageModel": {}}}', encoding="utf-8")
    monkeypatch.setattr("skill.interaction_model.reader.model_path", lambda locale: broken)
    with pytest.raises(ValueError, match=r"broken\.json"):
        create_app({"VERIFY_REQUESTS": False})
