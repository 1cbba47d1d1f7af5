"""Every reply, in every locale: valid SSML, calm delivery, within docs/voice.md's word budgets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from skill.content import Lead
from skill.devtools.voice_catalog import (
    PARAMS,
    REPROMPT,
    BudgetError,
    Budgets,
    all_replies,
    budgeted_words,
    leads_for,
    load_budgets,
    step_lead_replies,
    words,
)
from skill.locales import available_locales
from skill.speech import Renderer, Reply, ssml_to_text

MAX_BREAK_SECONDS = 10
_BREAK = re.compile(r'<break time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')


def test_every_lead_is_catalogued_before_the_steps_it_can_come_before() -> None:
    """The catalogue takes its leads from Lead: all of them before step one, and before a later
    step only those that can come there (going back, skipping, picking up)."""
    assert set(leads_for(0)) == {None, *Lead}
    assert set(leads_for(3)) == {None, Lead.BACK, Lead.SKIP, Lead.RESUME}


@pytest.mark.parametrize("locale", available_locales())
def test_every_template_has_a_budget(renderer: Renderer, budgets: Budgets, locale: str) -> None:
    assert renderer.template_names(locale) <= budgets.templates.keys()


@pytest.mark.parametrize("locale", available_locales())
def test_replies_fit_their_word_budgets(renderer: Renderer, budgets: Budgets, locale: str) -> None:
    category, reprompt_budget = budgets.templates, budgets.words[REPROMPT]
    over = []
    for name, reply in [*all_replies(renderer, locale), *step_lead_replies(renderer, locale)]:
        speech = renderer.render(locale, reply)
        budget = budgets.words[category[name]]
        counted = budgeted_words(category[name], speech.ssml)
        if counted > budget:
            over.append(f"{name}{dict(reply.params)}: {counted} > {budget}")
        if speech.reprompt is not None and words(speech.reprompt) > reprompt_budget:
            over.append(f"{name} reprompt: {words(speech.reprompt)} > {reprompt_budget}")
    assert not over


@pytest.mark.parametrize("locale", available_locales())
def test_replies_are_valid_calm_ssml(renderer: Renderer, locale: str) -> None:
    for name, reply in all_replies(renderer, locale):
        speech = renderer.render(locale, reply)
        for ssml in filter(None, (speech.ssml, speech.reprompt)):
            root = ET.fromstring(ssml)
            assert root.tag == "speak", name
            prosody = root.find("prosody")
            assert prosody is not None and prosody.get("volume") == "soft", name
            assert int(prosody.get("rate", "100%").rstrip("%")) < 100, name
            assert len(ssml) <= 8000, name
            assert "!" not in ssml_to_text(ssml), name
            for amount, unit in _BREAK.findall(ssml):
                seconds = float(amount) / (1000 if unit == "ms" else 1)
                assert seconds <= MAX_BREAK_SECONDS, name


@pytest.mark.parametrize("locale", available_locales())
def test_relief_comes_first(renderer: Renderer, locale: str) -> None:
    """Opening the skill or naming a cramp: the first words are the action, not a preamble."""
    content = renderer.store.content(locale)
    replies = [
        Reply("launch"),
        *(
            Reply(name, p)
            for name in ("relief", "relief_then_doctor", "stretch_hurts")
            for p in PARAMS[name](content)
        ),
        *(Reply("heat_or_cold", p) for p in PARAMS["heat_or_cold"](content)),
    ]
    for reply in replies:
        first = ssml_to_text(renderer.render(locale, reply).ssml).split()[0]
        assert first in {"Stop", "Flex", "Pull", "Straighten", "Stretch", "Try", "Use", "Hold"}, (
            reply,
            first,
        )


@pytest.mark.parametrize("locale", available_locales())
def test_mineral_tips_say_ask_a_doctor_before_supplements(renderer: Renderer, locale: str) -> None:
    for topic in ("magnesium", "potassium", "calcium", "sodium", "food"):
        text = renderer.render(locale, Reply("tip", {"topic": topic})).text
        assert "Ask a doctor before taking supplements." in text, topic


@pytest.mark.parametrize(("locale", "number"), [("en-US", "911"), ("en-GB", "999")])
def test_the_emergency_line_names_the_locale_number(
    renderer: Renderer, locale: str, number: str
) -> None:
    for name in ("emergency", "see_today", "red_flag", "doctor"):
        assert number in renderer.render(locale, Reply(name)).text, name
    assert renderer.render(locale, Reply("emergency")).text.startswith(f"Call {number} now.")


@pytest.mark.parametrize("locale", available_locales())
def test_magnesium_amount_is_magnesium(renderer: Renderer, locale: str) -> None:
    """docs/facts.md corrects the seed: 310 to 420 mg a day is magnesium, not potassium."""
    text = renderer.render(locale, Reply("tip", {"topic": "magnesium"})).text
    assert "magnesium" in text and "four hundred" in text and "twenty milligrams" in text
    potassium = renderer.render(locale, Reply("tip", {"topic": "potassium"})).text
    assert "milligrams" not in potassium and "four point seven grams" in potassium


@pytest.mark.parametrize(
    "text",
    [
        'templates = {launch = "relief"}',
        '[budgets]\nrelief = 30\nreprompt = 12\nstep = 25\n[templates]\nlaunch = "relife"',
        '[budgets]\nrelief = 0\nreprompt = 12\nstep = 25\n[templates]\nlaunch = "relief"',
        '[budgets]\nrelief = "30"\nreprompt = 12\nstep = 25\n[templates]\nlaunch = "relief"',
        '[budgets]\nrelief = 30\nstep = 25\n[templates]\nlaunch = "relief"',
    ],
    ids=["no-budgets", "unknown-budget", "zero", "not-a-number", "no-reprompt-budget"],
)
def test_a_malformed_budgets_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "budgets.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(BudgetError):
        load_budgets(path)
