"""The handlers' contract with the shipped models: intents, slots and slot-type ids."""

from __future__ import annotations

import pytest

from skill.interaction_model import load_model
from skill.locales import available_locales

LOCALES = available_locales()


# The handlers' contract: intent -> {slot: slot type}.
CONTRACT_INTENTS: dict[str, dict[str, str]] = {
    # `query` (AMAZON.SearchQuery) holds the free words around a carrier phrase ("why ...").
    # `filler` and `tag` (tuneH, pass 8) only fill slot-only forms ("{filler} {muscle} {tag}"): no
    # handler reads them.
    "CrampReliefIntent": {
        "query": "AMAZON.SearchQuery",
        "muscle": "MUSCLE",
        "symptom": "RED_FLAG",
        "filler": "FILLER",
        "tag": "TAG",
        "state": "CRAMP_STATE",
        "be": "CRAMP_BE",
    },
    # `state` (tuneO, pass 11) names a cramping muscle's state ("all knotted"); no handler reads it.
    "StillCrampingIntent": {
        "query": "AMAZON.SearchQuery",
        "muscle": "MUSCLE",
        "symptom": "RED_FLAG",
        "tag": "TAG",
        "state": "CRAMP_STATE",
        "still": "STILL",
        # It has not let go, in slot-only forms (tune17, pass 17); no handler reads them.
        "lead": "CRAMP_LEAD",
        "it": "CRAMP_IT",
        "persists": "CRAMP_PERSISTS",
    },
    # The words before "cramp in {muscle}" after "why" (tuneK, pass 9), read by the safety rules.
    "CauseIntent": {
        "query": "AMAZON.SearchQuery",
        "muscle": "MUSCLE",
        "symptom": "RED_FLAG",
        # A cause question in slot-only forms (tune16, pass 16); no handler reads them.
        "why": "CAUSE_ASK",
        "what": "CAUSE_WHAT",
        "when": "CAUSE_WHEN",
        "could": "CAUSE_COULD",
        "factor": "CAUSE_FACTOR",
    },
    "PreventionTipIntent": {
        "query": "AMAZON.SearchQuery",
        "topic": "TIP_TOPIC",
        "asking": "ASKING",
        "tag": "ASKING",
        "aux": "AUXILIARY",
        "answer": "TIP_ANSWER",
        # How to keep cramps away and a tip asked for whole (tuneS, pass 12), in slot-only forms.
        "how": "TIP_HOW",
        "what": "TIP_WHAT",
        "request": "TIP_ASK",
        # A context after or before the question (tuneY, pass 14), in slot-only forms.
        "more": "ASKING",
        "context": "TIP_CONTEXT",
        # A thing heard of, in free words (tune17, pass 17): the handler reads the topic in it.
        "claim": "AMAZON.SearchQuery",
        # A how-much question in slot-only forms (tune17, pass 17); no handler reads them.
        "much": "TIP_MUCH",
        "amount": "TIP_AMOUNT",
    },
    "DoctorIntent": {
        "query": "AMAZON.SearchQuery",
        "muscle": "MUSCLE",
        "asking": "ASKING",
        "tag": "ASKING",
        # "should I see a doctor" in slot-only forms (tune16, pass 16); no handler reads them.
        "seek": "DOCTOR_ASK",
        "who": "DOCTOR_WHO",
        "about": "DOCTOR_ABOUT",
    },
    "RedFlagIntent": {
        "symptom": "RED_FLAG",
        "also": "RED_FLAG",
        "muscle": "MUSCLE",
        "lead": "LEAD_IN",
        "filler": "FILLER",
        "be": "BE",
        "tag": "TAG",
        # A state after the chest ("me chest is tight", tuneR, pass 12); no handler reads it.
        "state": "CRAMP_STATE",
    },
    # `ask`, `after` and `end` only carry the words around a routine in samples of slots alone.
    "GuidedStretchIntent": {
        "query": "AMAZON.SearchQuery",
        "routine": "ROUTINE",
        "muscle": "MUSCLE",
        "ask": "STRETCH_ASK",
        "after": "STRETCH_AFTER",
        "end": "END",
        # What is asked for with no routine named (tune17, pass 17); no handler reads it.
        "thing": "STRETCH_THING",
    },
    "HeatOrColdIntent": {
        "query": "AMAZON.SearchQuery",
        "remedy": "HEAT_OR_COLD",
        "muscle": "MUSCLE",
        "symptom": "RED_FLAG",
        "choosing": "CHOOSING",
        "after": "CHOOSING",
        "asking": "ASKING",
        "tag": "ASKING",
        "aux": "AUXILIARY",
    },
    # `lead`, `it` and `gone`: it has let go, in slot-only forms (tune17, pass 17), unread.
    "CrampGoneIntent": {
        "query": "AMAZON.SearchQuery",
        "muscle": "MUSCLE",
        "tag": "TAG",
        "lead": "CRAMP_LEAD",
        "it": "CRAMP_IT",
        "gone": "CRAMP_LETS_GO",
    },
    # The routine controls' query only carries free words ("skip the wall one") to the safety
    # routes; the routine handlers read no slot.
    "SkipStepIntent": {"query": "AMAZON.SearchQuery"},
    "StepsLeftIntent": {"query": "AMAZON.SearchQuery"},
    # The slots of the forget-me and reminder intents only name what is meant ("me data", "ma
    # stretch reminder"), mostly in samples made of slots alone; their handlers read no slot but
    # the time.
    "ForgetMeIntent": {
        "forget": "FORGET",
        "data": "MY_DATA",
        "end": "END",
        "set": "SET",
        "gone": "DELETED",
    },
    # The nightly bedtime reminder.
    "SetReminderIntent": {
        "time": "AMAZON.TIME",
        "set": "SET",
        "reminder": "REMINDER",
        "end": "END",
        "nudge": "NUDGE",
        "at": "AT",
    },
    "ChangeReminderIntent": {
        "time": "AMAZON.TIME",
        "change": "CHANGE",
        "reminder": "REMINDER",
        "end": "END",
        "at": "AT",
        "which": "REMINDER_WHICH",
    },
    "CancelReminderIntent": {
        "cancel": "CANCEL",
        "reminder": "REMINDER",
        "end": "END",
        "which": "REMINDER_WHICH",
    },
    "ReminderStatusIntent": {
        "ask": "REMINDER_ASK",
        "reminder": "REMINDER",
        "end": "END",
        "which": "REMINDER_WHICH",
    },
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
    "LEAD_IN": {"have", "feel", "ask", "cramps", "call", "report"},
    "FILLER": {"filler", "think", "exclaim"},
    "TAG": {"address", "tag", "plea", "tail"},
    "BE": {"is", "has", "feels"},
    "CRAMP_STATE": {"cramping"},
    "CRAMP_BE": {"is", "has", "feels"},
    "STILL": {"still"},
    "CHOOSING": {"filler", "choose"},
    "ASKING": {"words"},
    "AUXILIARY": {"words"},
    "CAUSE_ASK": {"why"},
    "CAUSE_WHAT": {"cramps"},
    "CAUSE_WHEN": {"when"},
    "CAUSE_COULD": {"could"},
    "CAUSE_FACTOR": {"factor"},
    "DOCTOR_ASK": {"seek"},
    "DOCTOR_WHO": {"doctor"},
    "DOCTOR_ABOUT": {"about"},
    "CRAMP_LEAD": {"lead"},
    "CRAMP_IT": {"it"},
    "CRAMP_PERSISTS": {"persists"},
    "CRAMP_LETS_GO": {"gone"},
    "TIP_MUCH": {"much"},
    "STRETCH_THING": {"after"},
    "TIP_AMOUNT": {"amount"},
    "TIP_ANSWER": {
        "water",
        "electrolytes",
        "potassium",
        "magnesium",
        "calcium",
        "sodium",
        "food",
        "sleep_position",
        "footwear",
        "exercise",
        "medicines",
    },
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
    # One value each: the words around the reminder, the data and a routine, read by no handler.
    "REMINDER": {"bedtime"},
    "REMINDER_WHICH": {"which"},
    "MY_DATA": {"everything"},
    "FORGET": {"delete"},
    "CANCEL": {"cancel"},
    "REMINDER_ASK": {"status"},
    "CHANGE": {"change"},
    "SET": {"set"},
    "END": {"end"},
    "NUDGE": {"nudge"},
    "AT": {"at"},
    "DELETED": {"gone"},
    "STRETCH_ASK": {"ask"},
    "STRETCH_AFTER": {"after"},
    "TIP_HOW": {"how"},
    "TIP_WHAT": {"what"},
    "TIP_ASK": {"ask"},
    "TIP_CONTEXT": {"context"},
}


@pytest.mark.parametrize("locale", LOCALES)
def test_model_loads(locale: str) -> None:
    model = load_model(locale)
    assert model.locale == locale
    assert model.invocation_name == "cramp relief"
    assert set(model.intents) == set(CONTRACT_INTENTS)


@pytest.mark.parametrize("locale", LOCALES)
def test_intent_slots_match_the_handlers_contract(locale: str) -> None:
    model = load_model(locale)
    for name, slots in CONTRACT_INTENTS.items():
        assert dict(model.intents[name].slots) == slots, name


@pytest.mark.parametrize("locale", LOCALES)
def test_slot_type_ids_match_the_contract(locale: str) -> None:
    model = load_model(locale)
    assert {name: set(t.values) for name, t in model.slot_types.items()} == CONTRACT_TYPE_IDS


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_locales_agree_on_intents_slots_and_ids(locale: str) -> None:
    first, other = load_model(LOCALES[0]), load_model(locale)
    assert {n: dict(i.slots) for n, i in other.intents.items()} == {
        n: dict(i.slots) for n, i in first.intents.items()
    }
    assert {n: set(t.values) for n, t in other.slot_types.items()} == {
        n: set(t.values) for n, t in first.slot_types.items()
    }
