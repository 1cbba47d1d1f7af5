"""The routines as content: which exist, their timed holds, budgets and valid SSML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import jinja2
import pytest

from skill.content import Step
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
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.speech import Renderer, RenderError, Reply, ssml_to_text
from tests.helpers.routines import HOLD_BREAK, REQUIRED_ROUTINES

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


def steps(renderer: Renderer, locale: str) -> Iterator[tuple[str, int, Step]]:
    for name, routine in renderer.store.content(locale).routines.items():
        for index, step in enumerate(routine.steps):
            yield name, index, step


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
        assert sum(int(s) for s in HOLD_BREAK.findall(ssml)) == hold, (routine, index)
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
    breaks = [int(s) for s in HOLD_BREAK.findall(ssml)]
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
