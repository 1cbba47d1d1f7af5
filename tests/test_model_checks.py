"""check_model on broken models: each break of a clean model gives its finding, variations none."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from skill.interaction_model import check_model
from tests.helpers.minimal_model import lm, minimal


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
