"""Walking the guided stretches by voice: starting, navigating, help and stopping mid-routine."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from skill.clock import ClockTime
from skill.content import Lead
from skill.conversation.reminder_time import say_time
from skill.devtools.voice_catalog import step_reply
from skill.envelopes import read_response
from skill.interaction_model import load_model
from skill.locales import available_locales
from skill.speech import Renderer, Reply
from tests.helpers.alexa import AlexaClient, is_open, speech_of, text_of
from tests.helpers.routines import HOLD_BREAK, NAVIGATION, REQUIRED_ROUTINES, expected


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
    assert sum(int(s) for s in HOLD_BREAK.findall(speech_of(again))) == 30
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
