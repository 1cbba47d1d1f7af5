"""Guided stretches: the routines as content, their timed holds, and walking them by voice."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import pytest

from skill.clock import ClockTime
from skill.content import ContentError, Lead, Step, merged_tables
from skill.conversation.reminder_time import say_time
from skill.data import data_dir
from skill.devtools.voice_catalog import (
    REPROMPT,
    ROUTINE_PARAMS,
    STEP,
    Budgets,
    leads_for,
    positions,
    step_reply,
    words,
)
from skill.envelopes import read_response
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.speech import Renderer, RenderError, Reply, ssml_to_text
from tests.helpers.alexa import AlexaClient, speech_of

REQUIRED_ROUTINES = ("cramp_relief", "bedtime", "foot", "toes", "calf")
NAVIGATION = (
    "AMAZON.NextIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "SkipStepIntent",
    "StepsLeftIntent",
)
MUSCLE_ROUTINES = {
    "calf": "calf",
    "leg": "calf",
    "toes": "toes",
    "foot": "foot",
    "arch": "foot",
    "heel": "foot",
    "ball_of_foot": "foot",
    # Beyond the foot and calf there is no routine of its own: the default one.
    "thigh": None,
    "hamstring": None,
    "hand": None,
}

_BREAK = re.compile(r'<break time="(\d+)(ms|s)"\s*/>')
# The countdown's breaks are written in seconds, the short pauses around them in milliseconds.
_HOLD_BREAK = re.compile(r'<break time="(\d+)s"\s*/>')


def steps(renderer: Renderer, locale: str) -> Iterator[tuple[str, int, Step]]:
    for name, routine in renderer.store.content(locale).routines.items():
        for index, step in enumerate(routine.steps):
            yield name, index, step


# --- the routines, as content ------------------------------------------------------------------


@pytest.mark.parametrize("locale", available_locales())
def test_required_routines_exist(renderer: Renderer, locale: str) -> None:
    routines = renderer.store.content(locale).routines
    assert set(REQUIRED_ROUTINES) <= routines.keys()
    for name in REQUIRED_ROUTINES:
        assert routines[name].name and routines[name].steps, name


@pytest.mark.parametrize("locale", available_locales())
def test_every_routine_slot_value_is_a_routine(renderer: Renderer, locale: str) -> None:
    values = load_model(locale).slot_types["ROUTINE"].values
    assert set(values) == set(renderer.store.content(locale).routines)


@pytest.mark.parametrize("locale", available_locales())
def test_muscles_lead_to_their_short_routine(renderer: Renderer, locale: str) -> None:
    content = renderer.store.content(locale)
    muscles = load_model(locale).slot_types["MUSCLE"].values
    assert {m: content.routine_for_muscle(m) for m in muscles} == MUSCLE_ROUTINES


@pytest.mark.parametrize("locale", available_locales())
def test_steps_before_their_hold_fit_the_step_budget(
    renderer: Renderer, budgets: Budgets, locale: str
) -> None:
    """docs/voice.md: at most twenty-five words before the hold, whatever is said in front."""
    over = []
    for routine, index, _ in steps(renderer, locale):
        for lead in leads_for(index):
            ssml = renderer.render(locale, step_reply(routine, index, lead)).ssml
            before_hold = ssml.split("<break", 1)[0]
            if words(before_hold) > budgets.words[STEP]:
                over.append(f"{routine} step {index + 1} lead {lead}: {words(before_hold)}")
    assert not over


@pytest.mark.parametrize("locale", available_locales())
def test_every_hold_lasts_exactly_what_it_says(renderer: Renderer, locale: str) -> None:
    """The countdown's breaks add up to the step's hold; no break is longer than ten seconds."""
    for routine, index, step in steps(renderer, locale):
        ssml = renderer.render(locale, step_reply(routine, index)).ssml
        hold = step.hold or 0
        assert sum(int(s) for s in _HOLD_BREAK.findall(ssml)) == hold, (routine, index)
        for amount, unit in _BREAK.findall(ssml):
            assert int(amount) <= (10 if unit == "s" else 999), (routine, index, amount, unit)
        if hold:
            numbers = renderer.store.content(locale).numbers.words
            assert f"{numbers[hold]} seconds." in ssml_to_text(ssml), (routine, index)
            assert 10 <= hold <= 30, (routine, index)


@pytest.mark.parametrize("seconds", [5, 10, 15, 20, 25, 30])
def test_the_hold_macro_splits_any_hold_exactly(renderer: Renderer, seconds: int) -> None:
    """Holds that are not whole tens: the first break takes the remainder, so it still adds up."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(data_dir("responses")), autoescape=True)
    hold = env.get_template("en-US/_hold.ssml.j2").module.hold  # type: ignore[attr-defined]
    numbers = renderer.store.content(DEFAULT_LOCALE).numbers.words
    ssml = str(hold(seconds, "Hold for", "And release.", numbers))
    breaks = [int(s) for s in _HOLD_BREAK.findall(ssml)]
    assert sum(breaks) == seconds and max(breaks) <= 10
    assert breaks[1:] == [10] * (len(breaks) - 1)
    text = ssml_to_text(ssml)
    assert text.startswith(f"Hold for {numbers[seconds]} seconds.") and text.endswith("release.")
    if seconds > 10:
        assert "Ten more seconds." in text


@pytest.mark.parametrize("locale", available_locales())
def test_routine_replies_are_valid_ssml_with_numbers_as_words(
    renderer: Renderer, budgets: Budgets, locale: str
) -> None:
    content = renderer.store.content(locale)
    replies = [
        step_reply(routine, index, lead)
        for routine, index, _ in steps(renderer, locale)
        for lead in leads_for(index)
    ]
    for name, params in ROUTINE_PARAMS.items():
        replies += [Reply(name, p) for p in params(content)]
    replies += [Reply("routine_done"), Reply("no_routine")]
    for reply in replies:
        speech = renderer.render(locale, reply)
        for ssml in filter(None, (speech.ssml, speech.reprompt)):
            assert ET.fromstring(ssml).tag == "speak", reply
            assert not re.search(r"\d", ssml_to_text(ssml)), (reply, ssml_to_text(ssml))
        if reply.template != "routine_stop" and reply.template != "routine_done":
            assert (
                speech.reprompt is not None and words(speech.reprompt) <= budgets.words[REPROMPT]
            ), reply


@pytest.mark.parametrize("locale", available_locales())
def test_stretches_never_point_the_toes(renderer: Renderer, locale: str) -> None:
    """docs/facts.md: pointing is the position to avoid; every stretch brings the toes up."""
    for routine, index, step in steps(renderer, locale):
        assert "point" not in step.text.casefold(), (routine, index)


@pytest.mark.parametrize("locale", available_locales())
def test_resume_offer_keeps_to_the_relief_budget(
    renderer: Renderer, budgets: Budgets, locale: str
) -> None:
    for params in positions(renderer.store.content(locale)):
        text = renderer.render(locale, Reply("launch_resume", params)).text
        assert words(text) <= budgets.of("launch_resume"), (params, text)
        assert text.split()[0] in {"Stop", "Flex"}, text
        assert "continue" in text


def test_a_step_outside_its_routine_does_not_render(renderer: Renderer) -> None:
    """A kept reply with a bad position (it comes back from the client) is an error to catch,
    never a different step: RepeatHandler then falls back to the relief."""
    for step in (-1, 3, 10**6):
        with pytest.raises(RenderError):
            renderer.render(DEFAULT_LOCALE, step_reply("calf", step))
    with pytest.raises(RenderError):
        renderer.render(DEFAULT_LOCALE, step_reply("x", 0))


# --- content spread over several files ---------------------------------------------------------


def test_every_toml_in_a_locale_folder_is_content(tmp_path: Path) -> None:
    (tmp_path / "en-US").mkdir()
    (tmp_path / "en-GB").mkdir()
    (tmp_path / "en-US" / "content.toml").write_text('[voice]\nrate = "90%"\n[a]\nx = 1\ny = 2\n')
    (tmp_path / "en-US" / "routines.toml").write_text("[routines.calf]\nsteps = [1, 2]\n")
    (tmp_path / "en-GB" / "routines.toml").write_text("[a]\ny = 3\n")
    assert merged_tables(tmp_path, "en-US", "en-US") == {
        "voice": {"rate": "90%"},
        "a": {"x": 1, "y": 2},
        "routines": {"calf": {"steps": [1, 2]}},
    }
    assert merged_tables(tmp_path, "en-GB", "en-US")["a"] == {"x": 1, "y": 3}
    assert merged_tables(tmp_path, "en-GB", "en-US")["routines"] == {"calf": {"steps": [1, 2]}}


def test_two_files_of_one_folder_may_not_share_a_table(tmp_path: Path) -> None:
    (tmp_path / "en-US").mkdir()
    (tmp_path / "en-US" / "a.toml").write_text("[phrases]\nx = 1\n")
    (tmp_path / "en-US" / "b.toml").write_text("[phrases]\ny = 1\n")
    with pytest.raises(ContentError, match="phrases"):
        merged_tables(tmp_path, "en-US", "en-US")


# --- walking through by voice ------------------------------------------------------------------


def text_of(payload: Mapping[str, Any]) -> str:
    return ssml_to_text(speech_of(payload))


def is_open(payload: Mapping[str, Any]) -> bool:
    return read_response(payload).session_open


def expected(renderer: Renderer, reply: Reply, locale: str = DEFAULT_LOCALE) -> str:
    return renderer.render(locale, reply).text


@pytest.mark.parametrize("routine", REQUIRED_ROUTINES)
@pytest.mark.parametrize("locale", available_locales())
def test_walk_through_every_step_with_next(
    make_alexa: Callable[[str], AlexaClient], renderer: Renderer, routine: str, locale: str
) -> None:
    alexa = make_alexa(locale)
    spoken = load_model(locale).slot_types["ROUTINE"].values[routine][0]
    payload = alexa.intent("GuidedStretchIntent", routine=spoken)
    count = len(renderer.store.content(locale).routines[routine].steps)
    assert text_of(payload) == expected(renderer, step_reply(routine, 0, Lead.START), locale)
    for index in range(1, count):
        assert is_open(payload)
        payload = alexa.intent("AMAZON.NextIntent")
        assert text_of(payload) == expected(renderer, step_reply(routine, index), locale)
        assert payload["sessionAttributes"]["routine"] == {
            "routine": routine,
            "step": index,
            "paused": False,
        }
    payload = alexa.intent("AMAZON.NextIntent")
    content = renderer.store.content(locale)
    if content.routines[routine].offers_reminder:
        # The bedtime stretches end with the one question about a nightly reminder.
        time = say_time(content, ClockTime(22, 0))
        done = Reply("routine_done_reminder", {"time": time})
        assert text_of(payload) == expected(renderer, done, locale)
        assert is_open(payload)
        return
    assert text_of(payload) == expected(renderer, Reply("routine_done"), locale)
    assert payload["response"]["shouldEndSession"] is True
    assert "reprompt" not in payload["response"]


def test_calf_walk_through_word_for_word(alexa: AlexaClient) -> None:
    """A golden transcript: what a person hears, navigating the calf stretches by voice."""
    hold30 = "Hold for thirty seconds. Twenty more seconds. Ten more seconds. And release."
    say_next = "Say next when you're ready."
    towel = (
        "Step one. Sit with your legs straight. Loop a towel around the ball of your foot, "
        f"and pull gently. No bouncing. {hold30} {say_next}"
    )
    wall = (
        "Step two. Stand facing a wall, hands on it. Put that leg back, straight, heel down, "
        f"and lean in. Only to mild tension. {hold30} {say_next}"
    )
    circles = (
        "Step three. Sit down, and circle your ankle slowly, one way, then the other. Keep "
        f"circling for twenty seconds. Ten more seconds. And rest. {say_next}"
    )
    turns = [
        (("GuidedStretchIntent", {"muscle": "calf"}), f"Calf stretches, three steps. {towel}"),
        (("AMAZON.PreviousIntent", {}), f"That's the first step. {towel}"),
        (("AMAZON.RepeatIntent", {}), towel),
        (("AMAZON.NextIntent", {}), wall),
        (
            ("StepsLeftIntent", {}),
            f"You're on step two of three, with one more after it. {say_next}",
        ),
        (("AMAZON.PreviousIntent", {}), f"Going back. {towel}"),
        (("SkipStepIntent", {}), f"Skipped. {wall}"),
        (("AMAZON.NextIntent", {}), circles),
        (("StepsLeftIntent", {}), f"This is the last step, step three of three. {say_next}"),
        (("AMAZON.StartOverIntent", {}), f"From the top. {towel}"),
        (("AMAZON.PauseIntent", {}), "Paused at step one. Say continue when you're ready."),
        (("AMAZON.ResumeIntent", {}), f"Picking up. {towel}"),
        (("AMAZON.YesIntent", {}), wall),
        (("SkipStepIntent", {}), f"Skipped. {circles}"),
        (("SkipStepIntent", {}), "That was the last stretch. Sleep well."),
    ]
    for number, ((intent, slots), says) in enumerate(turns, 1):
        payload = alexa.intent(intent, **slots)
        assert text_of(payload) == says, f"turn {number}: {intent}"
        reprompt = read_response(payload).reprompt
        if number < len(turns):
            assert is_open(payload) and reprompt is not None, f"turn {number}"
    assert payload["response"]["shouldEndSession"] is True


def test_repeat_says_the_step_and_its_hold_again(alexa: AlexaClient) -> None:
    alexa.intent("GuidedStretchIntent", routine="bedtime")
    step_two = alexa.intent("AMAZON.NextIntent")
    again = alexa.intent("AMAZON.RepeatIntent")
    assert speech_of(again) == speech_of(step_two)
    assert sum(int(s) for s in _HOLD_BREAK.findall(speech_of(again))) == 30
    assert alexa.intent("AMAZON.NextIntent")["sessionAttributes"]["routine"]["step"] == 2


@pytest.mark.parametrize(
    ("slots", "routine"),
    [
        ({}, "cramp_relief"),
        ({"routine": "bedtime"}, "bedtime"),
        ({"routine": "before bed"}, "bedtime"),
        ({"routine": "toes"}, "toes"),
        ({"muscle": "calf"}, "calf"),
        ({"muscle": "charley horse"}, "calf"),
        ({"muscle": "big toe"}, "toes"),
        ({"muscle": "arch"}, "foot"),
        ({"muscle": "heel"}, "foot"),
        ({"muscle": "ball of my foot"}, "foot"),
        ({"muscle": "elbow"}, "cramp_relief"),
        ({"routine": "yoga"}, "cramp_relief"),
    ],
)
def test_guided_stretch_picks_the_routine(
    alexa: AlexaClient, renderer: Renderer, slots: dict[str, str], routine: str
) -> None:
    payload = alexa.intent("GuidedStretchIntent", **slots)
    assert payload["sessionAttributes"]["routine"]["routine"] == routine
    assert text_of(payload) == expected(renderer, step_reply(routine, 0, Lead.START))
    assert is_open(payload)


def test_yes_to_the_stretch_offer_starts_the_relief_routine(
    alexa: AlexaClient, renderer: Renderer
) -> None:
    alexa.intent("CrampReliefIntent", muscle="calf")
    payload = alexa.intent("AMAZON.YesIntent")
    assert text_of(payload) == expected(renderer, step_reply("cramp_relief", 0, Lead.START))


@pytest.mark.parametrize("intent", ["AMAZON.NextIntent", "AMAZON.ResumeIntent"])
def test_ready_after_the_stretch_offer_means_yes(
    alexa: AlexaClient, renderer: Renderer, intent: str
) -> None:
    alexa.launch()
    payload = alexa.intent(intent)
    assert text_of(payload) == expected(renderer, step_reply("cramp_relief", 0, Lead.START))


def test_next_after_the_offer_of_a_tip_is_the_next_tip(
    alexa: AlexaClient, renderer: Renderer
) -> None:
    alexa.intent("PreventionTipIntent")
    payload = alexa.intent("AMAZON.NextIntent")
    assert text_of(payload) == expected(renderer, Reply("tip", {"topic": "stretching"}))


@pytest.mark.parametrize("intent", NAVIGATION)
def test_routine_words_without_a_routine_offer_one(
    alexa: AlexaClient, renderer: Renderer, intent: str
) -> None:
    alexa.intent("DoctorIntent")  # a session with no offer pending
    alexa.intent("AMAZON.HelpIntent")
    payload = alexa.intent(intent)
    assert text_of(payload) == expected(renderer, Reply("no_routine"))
    assert is_open(payload)
    yes = alexa.intent("AMAZON.YesIntent")
    assert yes["sessionAttributes"]["routine"]["routine"] == "cramp_relief"


@pytest.mark.parametrize("intent", NAVIGATION)
def test_routine_words_as_a_one_shot_are_answered(
    alexa: AlexaClient, renderer: Renderer, intent: str
) -> None:
    payload = alexa.intent(intent)  # "Alexa, tell cramp relief next", no session before
    assert text_of(payload) == expected(renderer, Reply("no_routine"))


def test_help_inside_a_routine_explains_the_words(alexa: AlexaClient, renderer: Renderer) -> None:
    alexa.intent("GuidedStretchIntent", routine="foot")
    payload = alexa.intent("AMAZON.HelpIntent")
    assert text_of(payload) == expected(renderer, Reply("routine_help", {"routine": "foot"}))
    assert "next" in text_of(payload) and "pause" in text_of(payload)
    assert payload["sessionAttributes"]["routine"]["step"] == 0
    assert "Step two." in text_of(alexa.intent("AMAZON.NextIntent"))


def test_help_outside_a_routine_is_the_general_help(alexa: AlexaClient, renderer: Renderer) -> None:
    assert text_of(alexa.intent("AMAZON.HelpIntent")) == expected(renderer, Reply("help"))


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NoIntent"])
def test_stop_mid_routine_says_where(alexa: AlexaClient, intent: str) -> None:
    alexa.intent("GuidedStretchIntent", routine="toes")
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.NextIntent")
    payload = alexa.intent(intent)
    assert text_of(payload) == "Stopped at step three. Rest easy."
    assert payload["response"]["shouldEndSession"] is True


def test_a_cramp_mid_routine_stops_the_stretch_then_gets_relief(alexa: AlexaClient) -> None:
    alexa.intent("GuidedStretchIntent", routine="bedtime")
    payload = alexa.intent("CrampReliefIntent", muscle="calf")
    assert text_of(payload).startswith("Stop that stretch. Straighten your leg")
    # The place is kept: next goes on with the routine.
    assert text_of(alexa.intent("AMAZON.NextIntent")).startswith("Step two.")


@pytest.mark.parametrize("said", ["it hurts", "that hurts", "ow it hurts"])
def test_it_hurts_mid_routine_stops_the_stretch_first(alexa: AlexaClient, said: str) -> None:
    alexa.intent("GuidedStretchIntent", routine="bedtime")
    payload = alexa.intent("CrampReliefIntent", muscle=said)
    assert text_of(payload).startswith("Stop that stretch. Flex your foot")


# --- attributes from the client are not trusted ------------------------------------------------

TAMPERED_ROUTINES: list[Any] = [
    {"routine": "x", "step": 0},
    {"routine": "calf", "step": -1},
    {"routine": "calf", "step": 10**9},
    {"routine": "calf", "step": 3},
    {"routine": "calf", "step": "1"},
    {"routine": "calf", "step": 1.0},
    {"routine": "calf", "step": True},
    {"routine": "calf", "step": None},
    {"routine": 5, "step": 0},
    {"routine": ["calf"], "step": 0},
    {"routine": "__class__", "step": 0},
    {"step": 0},
    "calf",
    ["calf", 1],
    7,
]


@pytest.mark.parametrize("routine", TAMPERED_ROUTINES)
@pytest.mark.parametrize("intent", [*NAVIGATION, "AMAZON.HelpIntent", "AMAZON.StopIntent"])
def test_tampered_routine_is_no_routine(
    alexa: AlexaClient, renderer: Renderer, routine: Any, intent: str
) -> None:
    alexa.intent("CauseIntent")
    alexa.conversation.attributes = {"routine": routine}
    payload = alexa.intent(intent)  # alexa.send has checked the 200
    if intent == "AMAZON.HelpIntent":
        assert text_of(payload) == expected(renderer, Reply("help"))
    elif intent == "AMAZON.StopIntent":
        assert text_of(payload) == expected(renderer, Reply("goodbye"))
    else:
        assert text_of(payload) == expected(renderer, Reply("no_routine"))
    assert "routine" not in payload.get("sessionAttributes", {})


@pytest.mark.parametrize(
    "params",
    [
        {"routine": "x", "step": 0},
        {"routine": "calf", "step": -1},
        {"routine": "calf", "step": 10**6},
        {"routine": "calf", "step": "one"},
        {"routine": "calf"},
        {"routine": "calf", "step": 0, "lead": "nonsense"},
    ],
)
def test_tampered_kept_step_is_never_repeated(
    alexa: AlexaClient, renderer: Renderer, params: dict[str, Any]
) -> None:
    alexa.intent("CauseIntent")
    alexa.conversation.attributes = {"last": {"template": "step", "params": params}}
    payload = alexa.intent("AMAZON.RepeatIntent")
    assert text_of(payload) == expected(renderer, Reply("relief", {"muscle": "general"}))


def test_a_valid_position_from_the_client_is_followed(alexa: AlexaClient) -> None:
    """Validation rejects what is impossible, not what is merely unexpected."""
    alexa.intent("CauseIntent")
    alexa.conversation.attributes = {"routine": {"routine": "bedtime", "step": 6}}
    payload = alexa.intent("AMAZON.NextIntent")
    assert text_of(payload).startswith("Step eight.")
