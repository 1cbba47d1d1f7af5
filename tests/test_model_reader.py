"""Reading interaction models: data_dir, load_model, parse_model, SlotType and slot_id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill import create_app
from skill.data import data_dir
from skill.interaction_model import InteractionModel, SlotType, load_model, parse_model, slot_id
from skill.locales import DEFAULT_LOCALE, available_locales
from tests.helpers.minimal_model import lm, minimal

LOCALES = available_locales()


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


def test_a_malformed_model_stops_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"interactionModel": {"languageModel": {}}}', encoding="utf-8")
    monkeypatch.setattr("skill.interaction_model.reader.model_path", lambda locale: broken)
    with pytest.raises(ValueError, match=r"broken\.json"):
        create_app({"VERIFY_REQUESTS": False})
