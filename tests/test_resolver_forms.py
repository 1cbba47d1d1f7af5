"""What typed text becomes: launch and one-shot forms, built-in phrases, exit, silence, fallback."""

from __future__ import annotations

from typing import Any

import pytest

from skill.interaction_model import InteractionModel, parse_model
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.simulator.resolver import FALLBACK_INTENT, Resolution, Resolver, resolve
from tests.helpers.slot_ids import slot_ids

LOCALES = available_locales()


@pytest.mark.parametrize(
    "text",
    ["what's the weather like", "play some jazz", "purple monkey dishwasher", "asdf qwerty"],
)
def test_nothing_matched_is_the_fallback_intent(text: str) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert resolution == Resolution(
        "intent", FALLBACK_INTENT, slots={}, new_session=False, utterance=resolution.utterance
    )


@pytest.mark.parametrize(
    "text",
    [
        "open cramp relief",
        "Alexa, open Cramp Relief.",
        "launch cramp relief",
        "start cramp relief",
        "begin cramp relief",
        "talk to cramp relief",
        "ask cramp relief",
        "can you open cramp relief",
        "let's open cramp relief",
        "I wanna talk to cramp relief",
    ],
)
def test_launch_forms(text: str) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert (resolution.kind, resolution.intent, resolution.new_session) == ("launch", None, True)
    assert resolution.slots == {}


@pytest.mark.parametrize(
    ("text", "intent", "slots", "utterance"),
    [
        (
            "ask cramp relief my calf is cramping",
            "CrampReliefIntent",
            # Slots alone (pass 11): MUSCLE holds "my calf", CRAMP_BE and CRAMP_STATE the rest.
            slot_ids("CrampReliefIntent", muscle="calf", state="cramping", be="is"),
            "my calf is cramping",
        ),
        (
            "Alexa, ask Cramp Relief: what causes cramps?",
            "CauseIntent",
            # tune16 (pass 16): the question's head and what keeps happening, slots alone.
            {
                "query": None,
                "muscle": None,
                "symptom": None,
                "why": "why",
                "what": "cramps",
                "when": None,
                "could": None,
                "factor": None,
            },
            "what causes cramps",
        ),
        (
            "tell cramp relief to give me a tip",
            "PreventionTipIntent",
            {
                "query": None,
                "topic": None,
                "asking": None,
                "tag": None,
                "aux": None,
                "answer": None,
                # tuneS (pass 12): a tip asked for whole fills `request` (TIP_ASK).
                "how": None,
                "what": None,
                "request": "ask",
                # tuneY (pass 14): a context after or before the question (ASKING, TIP_CONTEXT).
                "more": None,
                "context": None,
                # tune17 (pass 17): a thing heard of, in free words ("I heard {claim}").
                "claim": None,
                "much": None,
                "amount": None,
            },
            None,
        ),
        (
            "ask cramp relief for a tip about bananas",
            "PreventionTipIntent",
            {
                "query": None,
                "topic": "potassium",
                "asking": "words",
                "tag": None,
                "aux": None,
                "answer": None,
                "how": None,
                "what": None,
                "request": None,
                "more": None,
                "context": None,
                "claim": None,
                "much": None,
                "amount": None,
            },
            None,
        ),
        (
            "ask cramp relief about causes",
            "CauseIntent",
            {
                "query": None,
                "muscle": None,
                "symptom": None,
                "why": None,
                "what": None,
                "when": None,
                "could": None,
                "factor": None,
            },
            "causes",
        ),
        (
            "tell cramp relief that my foot is numb",
            "RedFlagIntent",
            {
                "symptom": "numbness",
                "also": None,
                "muscle": "foot",
                "lead": None,
                "filler": None,
                "be": "is",
                "tag": None,
                "state": None,
            },
            None,
        ),
        (
            "open cramp relief and give me a tip",
            "PreventionTipIntent",
            {
                "query": None,
                "topic": None,
                "asking": None,
                "tag": None,
                "aux": None,
                "answer": None,
                # tuneS (pass 12): a tip asked for whole fills `request` (TIP_ASK).
                "how": None,
                "what": None,
                "request": "ask",
                # tuneY (pass 14): a context after or before the question (ASKING, TIP_CONTEXT).
                "more": None,
                "context": None,
                # tune17 (pass 17): a thing heard of, in free words ("I heard {claim}").
                "claim": None,
                "much": None,
                "amount": None,
            },
            None,
        ),
        ("stretch my calf with cramp relief", "GuidedStretchIntent", None, "stretch my calf"),
        ("ask cramp relief something it has no answer for", FALLBACK_INTENT, {}, None),
        # Amazon's page: a lead-in before the whole phrase.
        ("let's stretch my calf using cramp relief", "GuidedStretchIntent", None, None),
        ("can you ask cramp relief why I get cramps", "CauseIntent", None, "why i get cramps"),
        ("I want to ask cramp relief if I should see a doctor", "DoctorIntent", None, None),
    ],
)
def test_one_shot_forms_start_a_new_session(
    text: str, intent: str, slots: dict[str, str | None] | None, utterance: str | None
) -> None:
    resolution = resolve(text, DEFAULT_LOCALE)
    assert (resolution.kind, resolution.intent, resolution.new_session) == ("intent", intent, True)
    if slots is not None:
        assert resolution.slot_ids() == slots
    if utterance is not None:
        assert resolution.utterance == utterance


def test_in_session_speech_does_not_start_a_session() -> None:
    assert resolve("my calf is cramping", DEFAULT_LOCALE).new_session is False
    # A lead-in alone names no skill: "can you tell me" is not "tell <name>".
    assert resolve("can you tell me why I get cramps", DEFAULT_LOCALE).new_session is False


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("help", "AMAZON.HelpIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("shut up", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("never mind", "AMAZON.CancelIntent"),
        ("next", "AMAZON.NextIntent"),
        ("previous", "AMAZON.PreviousIntent"),
        ("go back", "AMAZON.PreviousIntent"),
        ("repeat", "AMAZON.RepeatIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("yes", "AMAZON.YesIntent"),
        ("Yeah!", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("nope", "AMAZON.NoIntent"),
        ("start over", "AMAZON.StartOverIntent"),
        ("pause", "AMAZON.PauseIntent"),
        ("resume", "AMAZON.ResumeIntent"),
        ("continue", "AMAZON.ResumeIntent"),
        ("home", "AMAZON.NavigateHomeIntent"),
    ],
)
@pytest.mark.parametrize("locale", LOCALES)
def test_built_in_phrases(locale: str, text: str, intent: str) -> None:
    assert resolve(text, locale).intent == intent


@pytest.mark.parametrize("typed", ["ok stop talking", "OK, good night", "ok bye"])
@pytest.mark.parametrize("locale", LOCALES)
def test_ok_is_heard_as_the_okay_the_samples_spell(locale: str, typed: str) -> None:
    # The samples spell it "okay"; a person typing "ok" said the same word.
    resolution = resolve(typed, locale)
    assert resolution.intent == "AMAZON.StopIntent"
    assert resolution.sample is not None and resolution.sample.startswith("okay")


def _model(invocation: str, intents: list[dict[str, Any]]) -> InteractionModel:
    raw = {
        "interactionModel": {
            "languageModel": {"invocationName": invocation, "intents": intents, "types": []}
        }
    }
    return parse_model(DEFAULT_LOCALE, raw)


def test_model_samples_take_precedence_over_built_in_phrases() -> None:
    model = _model(
        "night helper",
        [
            {"name": "NextCrampIntent", "samples": ["next"]},
            {"name": "AMAZON.NextIntent", "samples": []},
            {"name": "AMAZON.StopIntent", "samples": []},
        ],
    )
    resolver = Resolver(model)
    assert resolver.resolve("next").intent == "NextCrampIntent"
    assert resolver.resolve("stop").intent == "AMAZON.StopIntent"


def test_only_declared_built_ins_are_recognised() -> None:
    resolver = Resolver(_model("night helper", [{"name": "AMAZON.StopIntent", "samples": []}]))
    assert resolver.resolve("yes").intent == FALLBACK_INTENT


def test_the_invocation_name_comes_from_the_model() -> None:
    resolver = Resolver(_model("night helper", [{"name": "AMAZON.StopIntent", "samples": []}]))
    assert resolver.resolve("open night helper").kind == "launch"
    assert resolver.resolve("open cramp relief").kind == "intent"
    assert resolver.resolve("ask night helper to stop").intent == "AMAZON.StopIntent"


@pytest.mark.parametrize("text", ["exit", "Quit!", "exit cramp relief", "exit the skill"])
def test_exit_ends_the_session(text: str) -> None:
    assert resolve(text, DEFAULT_LOCALE).kind == "exit"


@pytest.mark.parametrize("text", ["", "   ", "?!", "Alexa"])
def test_nothing_said_is_silence(text: str) -> None:
    assert resolve(text, DEFAULT_LOCALE) == Resolution("silence", None)


def test_unknown_locale_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        resolve("open cramp relief", "xx-XX")


def test_resolution_to_json() -> None:
    resolution = resolve("ask cramp relief my calf is cramping", DEFAULT_LOCALE)
    encoded = resolution.to_json()
    assert encoded["kind"] == "intent"
    assert encoded["intent"] == "CrampReliefIntent"
    assert encoded["newSession"] is True
    assert encoded["sample"] == "{muscle} {be} {state}"
    assert encoded["slots"]["muscle"]["value"] == "my calf"
    assert resolution.slot_ids()["muscle"] == "calf"
