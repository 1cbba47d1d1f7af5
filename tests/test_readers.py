"""One reader per format: the interaction-model JSON (lenient with findings, strict by raising on
them), slot entity-resolution JSON (built and read in one module), and the built-in phrase files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model.slot import Slot

from skill.app import create_app
from skill.codec import from_json
from skill.devtools.devca import DevCA
from skill.devtools.trust import in_process_config
from skill.entity_resolution import (
    ER_SUCCESS_MATCH,
    ER_SUCCESS_NO_MATCH,
    read_model_slot,
    read_slot,
    request_slot,
    slot_summary,
)
from skill.envelopes import Conversation, read_response
from skill.interaction_model import (
    load_model,
    model_path,
    parse_model,
    read_model,
    read_model_file,
)
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.simulator import web
from skill.simulator.builtin_phrases import PHRASES_DIR, builtin_phrases, parse_phrases

SKILL_ID = "amzn1.ask.skill.test"


def shipped(locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(model_path(locale).read_text(encoding="utf-8"))
    return raw


# --- the interaction-model reader -----------------------------------------------------------


@pytest.mark.parametrize("locale", available_locales())
def test_lenient_and_strict_readings_agree_on_a_good_model(locale: str) -> None:
    reading = read_model(shipped(locale), locale)
    assert reading.findings == ()
    assert reading.model == parse_model(locale, shipped(locale)) == load_model(locale)


def test_lenient_reading_keeps_the_rest_and_strict_raises_on_the_same_finding() -> None:
    raw = copy.deepcopy(shipped())
    intents = raw["interactionModel"]["languageModel"]["intents"]
    intents.append({"samples": ["nameless"]})
    reading = read_model(raw, DEFAULT_LOCALE)
    assert [(f.level, f.code) for f in reading.findings] == [("error", "structure")]
    assert reading.model is not None
    assert set(reading.model.intents) == set(load_model(DEFAULT_LOCALE).intents)
    with pytest.raises(ValueError, match=reading.findings[0].message):
        parse_model(DEFAULT_LOCALE, raw)


def test_a_warning_does_not_stop_the_strict_parse() -> None:
    raw = copy.deepcopy(shipped())
    muscle = next(t for t in raw["interactionModel"]["languageModel"]["types"])
    muscle["values"].append({"name": {"value": "shin"}})
    reading = read_model(raw, DEFAULT_LOCALE)
    assert [(f.level, f.code) for f in reading.findings] == [("warning", "missing-slot-id")]
    model = parse_model(DEFAULT_LOCALE, raw)
    # Without an id, the value itself is what a handler sees.
    assert model.slot_types[muscle["name"]].values["shin"] == ("shin", ())


def test_file_reading_reports_a_byte_order_mark_and_bad_json(tmp_path: Path) -> None:
    marked = tmp_path / "marked.json"
    marked.write_bytes(b"\xef\xbb\xbf" + json.dumps(shipped()).encode())
    reading = read_model_file(marked)
    assert [f.code for f in reading.findings] == ["byte-order-mark"]
    with pytest.raises(ValueError, match="byte-order mark"):
        reading.require(str(marked))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    reading = read_model_file(broken)
    assert reading.model is None and [f.code for f in reading.findings] == ["json"]
    with pytest.raises(ValueError, match="not valid JSON"):
        reading.require()


# --- slot entity-resolution JSON ------------------------------------------------------------


def test_a_built_slot_reads_back() -> None:
    matched = request_slot(
        "muscle", "calves", skill_id=SKILL_ID, slot_type="MUSCLE", matches=[("calf", "calf")]
    )
    assert read_slot(matched).match_id == "calf"
    assert read_slot(matched).status == ER_SUCCESS_MATCH
    assert slot_summary(matched) == "calf"
    authority = matched["resolutions"]["resolutionsPerAuthority"][0]["authority"]
    assert authority == f"amzn1.er-authority.echo-sdk.{SKILL_ID}.MUSCLE"

    unmatched = request_slot("muscle", "elbow", skill_id=SKILL_ID, slot_type="MUSCLE")
    assert read_slot(unmatched).status == ER_SUCCESS_NO_MATCH
    assert slot_summary(unmatched) == "elbow"

    plain = request_slot("count", "three", skill_id=SKILL_ID)
    assert "resolutions" not in plain and slot_summary(plain) == "three"
    assert request_slot("muscle", None, skill_id=SKILL_ID) == {
        "name": "muscle",
        "confirmationStatus": "NONE",
    }


@pytest.mark.parametrize(
    "slot",
    [
        request_slot(
            "muscle", "calves", skill_id=SKILL_ID, slot_type="MUSCLE", matches=[("calf", "calf")]
        ),
        request_slot("muscle", "elbow", skill_id=SKILL_ID, slot_type="MUSCLE"),
        request_slot("count", "three", skill_id=SKILL_ID),
        request_slot("muscle", None, skill_id=SKILL_ID),
        {
            "name": "muscle",
            "value": "calf",
            "resolutions": {
                "resolutionsPerAuthority": [
                    {"authority": "a", "status": {"code": ER_SUCCESS_NO_MATCH}},
                    {
                        "authority": "b",
                        "status": {"code": ER_SUCCESS_MATCH},
                        "values": [{"value": {"name": "calf", "id": "calf"}}],
                    },
                ]
            },
        },
    ],
)
def test_a_slot_the_sdk_holds_reads_as_its_json(slot: dict[str, Any]) -> None:
    """Handlers read the SDK's Slot objects through the same reader as the tools read JSON."""
    assert read_model_slot(from_json(slot, Slot)) == read_slot(slot)


def test_a_device_slot_repeats_its_value_and_resolutions() -> None:
    built = request_slot(
        "muscle", "calf", skill_id=SKILL_ID, slot_type="MUSCLE", matches=[("calf", "calf")]
    )
    device = request_slot(
        "muscle",
        "calf",
        skill_id=SKILL_ID,
        slot_type="MUSCLE",
        matches=[("calf", "calf")],
        from_device=True,
    )
    assert device["source"] == "USER"
    assert device["slotValue"] == {
        "type": "Simple",
        "value": "calf",
        "resolutions": built["resolutions"],
    }


@pytest.mark.parametrize(
    "slot",
    [
        {},
        {"value": 7},
        {"value": "calf", "resolutions": "nope"},
        {"value": "calf", "resolutions": {"resolutionsPerAuthority": [None, 3]}},
        {"value": "calf", "resolutions": {"resolutionsPerAuthority": [{"status": {"code": 1}}]}},
        {
            "value": "calf",
            "resolutions": {
                "resolutionsPerAuthority": [
                    {"status": {"code": ER_SUCCESS_MATCH}, "values": [{"value": {"id": 5}}]}
                ]
            },
        },
    ],
)
def test_a_malformed_slot_reads_as_missing_parts(slot: dict[str, Any]) -> None:
    reading = read_slot(slot)
    assert reading.match_id is None
    assert reading.value in (None, "calf")


# --- built-in phrases -----------------------------------------------------------------------


def test_phrase_files_are_per_language_and_read_once() -> None:
    files = sorted(path.stem for path in PHRASES_DIR.glob("*.toml"))
    assert files == sorted({locale.split("-")[0] for locale in available_locales()})
    english = builtin_phrases("en")
    assert english is builtin_phrases("en")
    assert "stop" in english.intents["AMAZON.StopIntent"]
    assert "open" in english.launch and "exit {invocation}" in english.exit


@pytest.mark.parametrize("language", ["fr", "../en", "EN", ""])
def test_a_language_without_a_file_has_no_phrases(language: str) -> None:
    phrases = builtin_phrases(language)
    assert phrases.launch == () and dict(phrases.intents) == {}


@pytest.mark.parametrize(
    "raw",
    [
        {"launch": "open"},
        {"launch": ["open", ""]},
        {"intents": {"AMAZON.StopIntent": "stop"}},
        {"intents": ["stop"]},
        {"lunch": ["open"]},
    ],
)
def test_a_malformed_phrase_file_is_refused(raw: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        parse_phrases(raw)


# --- the simulator page is composed onto a development app only -----------------------------


def test_the_page_refuses_an_app_not_configured_for_development(
    dev_ca: DevCA, tmp_path: Path
) -> None:
    app = create_app({**in_process_config(dev_ca), "DATABASE": str(tmp_path / "db.sqlite3")})
    with pytest.raises(RuntimeError):
        web.register(app)
    assert "simulator" not in app.blueprints


# --- what a response says -------------------------------------------------------------------


def test_a_response_reads_its_speech_reprompt_and_session() -> None:
    said = read_response(
        {
            "response": {
                "outputSpeech": {"type": "SSML", "ssml": "<speak>Flex your <b>foot</b>.</speak>"},
                "reprompt": {"outputSpeech": {"type": "PlainText", "text": "Anything else?"}},
                "shouldEndSession": False,
            }
        }
    )
    assert said.ssml == "<speak>Flex your <b>foot</b>.</speak>" and said.text == "Flex your foot ."
    assert said.reprompt_ssml is None and said.reprompt == "Anything else?"
    assert said.session_open and said.has_speech


@pytest.mark.parametrize(
    "envelope",
    [None, {}, {"response": []}, {"response": {"outputSpeech": {"type": "SSML", "ssml": 3}}}],
)
def test_a_response_without_speech_reads_as_none(envelope: Any) -> None:
    said = read_response(envelope)
    assert said.ssml is None and said.text is None and said.reprompt is None
    assert not said.session_open


def test_a_responses_directives_read_by_type_skipping_what_is_no_object() -> None:
    apl = {"type": "Alexa.Presentation.APL.RenderDocument", "token": "relief"}
    ask = {"type": "Connections.SendRequest", "name": "AskFor", "token": "reminders"}
    said = read_response({"response": {"directives": [apl, "junk", 7, ask, {"token": "x"}]}})
    assert said.directives_of("Alexa.Presentation.APL.RenderDocument") == [apl]
    assert said.directives_of("Connections.SendRequest") == [ask]
    assert read_response({"response": {"directives": {"type": "x"}}}).directives == ()


def test_a_conversation_survives_a_directive_that_is_no_object() -> None:
    talk = Conversation()
    talk.launch()
    talk.receive({"response": {"directives": ["junk"], "shouldEndSession": False}})
    assert talk.session_id is not None
    talk.receive({"response": {"directives": ["junk"]}})
    assert talk.session_id is None
