"""The sentence templates: the committed models are exactly their expansion, within Alexa's limits,
and a broken template folder fails the build with a reason instead of writing a model."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from skill.commands.build_model import build
from skill.data import data_dir
from skill.interaction_model import check_model
from skill.locales import available_locales
from skill.sentences import (
    MAX_MODEL_CHARACTERS,
    MAX_SAMPLE_CHARACTERS,
    MAX_SAMPLES_PER_INTENT,
    SentenceError,
    build_model,
    expand,
    model_text,
    template_locales,
)
from tests.helpers.sentence_folders import sentence_folder


def test_every_shipped_model_has_templates() -> None:
    assert template_locales() == available_locales()


@pytest.mark.parametrize("locale", template_locales())
def test_committed_model_is_the_expansion(locale: str) -> None:
    committed = (data_dir("interaction_models") / f"{locale}.json").read_text(encoding="utf-8")
    assert committed == model_text(build_model(locale)), "run: cramp-relief build-model"


@pytest.mark.parametrize("locale", template_locales())
def test_expansion_keeps_within_the_limits(locale: str) -> None:
    model = build_model(locale)
    intents = model["interactionModel"]["languageModel"]["intents"]
    assert sum(len(s) for i in intents for s in i.get("samples", [])) <= MAX_SAMPLE_CHARACTERS
    assert all(len(i.get("samples", [])) <= MAX_SAMPLES_PER_INTENT for i in intents)
    assert len(json.dumps(model, separators=(",", ":"), ensure_ascii=False)) <= MAX_MODEL_CHARACTERS
    assert [f for f in check_model(model) if f.level == "error"] == []


def test_build_check_passes_on_the_committed_models() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert build([], check=True, out=out, err=err) == 0, err.getvalue()
    assert "up to date" in out.getvalue()


def test_expand_keeps_slots_and_spells_out_alternatives() -> None:
    assert expand("(my|the) {muscle} [is] cramping", {}) == [
        "my {muscle} is cramping",
        "my {muscle} cramping",
        "the {muscle} is cramping",
        "the {muscle} cramping",
    ]


GOOD: dict[str, object] = {
    "en/_model.yaml": {"invocation": "cramp relief"},
    "en/_rules.yaml": {"my": "(my|the)"},
    "en/_types.yaml": {"MUSCLE": {"calf": ["calf", "calves"]}},
    "en/CrampReliefIntent.yaml": {
        "intent": "CrampReliefIntent",
        "slots": {"muscle": "MUSCLE"},
        "sentences": ["<my> {muscle} [is] cramping"],
    },
    "en-GB/_types.yaml": {"MUSCLE": {"calf": ["cap"]}},
    "en-GB/CrampReliefIntent.yaml": {
        "intent": "CrampReliefIntent",
        "sentences": ["I've got cramp in <my> {muscle}"],
    },
}


def test_a_locale_adds_to_its_language(tmp_path: Path) -> None:
    built = build_model("en-GB", sentence_folder(tmp_path, GOOD))
    model = built["interactionModel"]["languageModel"]
    assert model["invocationName"] == "cramp relief"
    [intent] = model["intents"]
    assert len(intent["samples"]) == 6
    assert "I've got cramp in the {muscle}" in intent["samples"]
    assert model["types"][0]["values"][0]["name"] == {
        "value": "calf",
        "synonyms": ["calves", "cap"],
    }


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"en-GB/CrampReliefIntent.yaml": {"intent": "CrampReliefIntent", "sentences": ["{x}"]}},
            "undeclared",
        ),
        (
            {"en-GB/CrampReliefIntent.yaml": {"intent": "Other", "sentences": ["cramp"]}},
            "file's name",
        ),
        (
            {
                "en-GB/CrampReliefIntent.yaml": {
                    "intent": "CrampReliefIntent",
                    "sentences": ["<nope>"],
                }
            },
            "nope",
        ),
        (
            {"en-GB/CrampReliefIntent.yaml": {"intent": "CrampReliefIntent", "sentences": ["(a|"]}},
            "template",
        ),
        (
            {"en-GB/CrampReliefIntent.yaml": {"intent": "CrampReliefIntent", "sentences": [""]}},
            "non-empty",
        ),
        (
            {
                "en-GB/CrampReliefIntent.yaml": {
                    "intent": "CrampReliefIntent",
                    "slots": {"muscle": "OTHER"},
                }
            },
            "changes type",
        ),
        (
            {
                "en-GB/CrampReliefIntent.yaml": {
                    "intent": "CrampReliefIntent",
                    "sentences": [
                        "(a|b|c|d|e|f|g|h|i|j) (a|b|c|d|e|f|g|h|i|j) (a|b|c|d|e|f|g|h|i|j) [x|y]"
                    ],
                }
            },
            "at most",
        ),
        ({"en/_model.yaml": {}}, "invocation"),
        (
            {
                "en-GB/CrampReliefIntent.yaml": {
                    "intent": "CrampReliefIntent",
                    "sentences": ["{muscle} and {muscle}"],
                }
            },
            "twice",
        ),
        (
            {
                "en-GB/CauseIntent.yaml": {
                    "intent": "CauseIntent",
                    "slots": {"query": "AMAZON.SearchQuery"},
                    "sentences": ["{query}"],
                }
            },
            "stands alone",
        ),
    ],
)
def test_a_broken_folder_fails_with_its_reason(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    root = sentence_folder(tmp_path, {**GOOD, **change})
    with pytest.raises(SentenceError, match=reason):
        build_model("en-GB", root)


def test_a_locale_without_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SentenceError, match="no template folder"):
        build_model("fr-FR", sentence_folder(tmp_path, GOOD))


def test_build_refuses_an_unknown_locale() -> None:
    err = io.StringIO()
    assert build(["xx-XX"], check=True, out=io.StringIO(), err=err) == 1
    assert "no templates for xx-XX" in err.getvalue()
