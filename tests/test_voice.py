"""Every reply, in every locale: valid SSML, calm delivery, within VOICE.md's word budgets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from skill.model import available_locales, data_dir
from skill.speech import Renderer, Reply, ssml_to_text

# VOICE.md's word budgets (spoken words, tags not counted).
BUDGETS = {
    "relief": 30,
    "still": 30,
    "tip": 30,
    "causes": 45,
    "doctor": 45,
    "help": 35,
    "step": 25,
    "reprompt": 12,
    "stop": 6,
    "other": 40,
}

# Which budget each template answers to. A template missing here fails the test below, so a new
# reply cannot slip past the budgets.
CATEGORY = {
    "launch": "relief",
    "relief": "relief",
    "still_cramping": "still",
    "still_cramping_again": "still",
    "cause": "causes",
    "tip": "tip",
    "tips_done": "other",
    "doctor": "doctor",
    "red_flag": "doctor",
    "emergency": "doctor",
    "help": "help",
    "goodbye": "stop",
    "fallback": "other",
    "error": "other",
}

ParamSets = Callable[[Mapping[str, Any]], list[dict[str, Any]]]

# The values each template can be rendered with, taken from the content itself.
PARAMS: dict[str, ParamSets] = {
    "relief": lambda content: [{"muscle": muscle} for muscle in content["relief"]],
    "tip": lambda content: [{"topic": topic} for topic in content["tips"]["order"]],
}

MAX_BREAK_SECONDS = 10
_BREAK = re.compile(r'<break time="(\d+(?:\.\d+)?)(ms|s)"\s*/>')


def words(ssml: str) -> int:
    return sum(1 for token in ssml_to_text(ssml).split() if re.search(r"\w", token))


def all_replies(renderer: Renderer, locale: str) -> Iterator[tuple[str, Reply]]:
    content = renderer.content(locale)
    params_of = {**PARAMS, **_extra_params()}
    for name in sorted(renderer.template_names(locale)):
        for params in params_of.get(name, lambda _: [{}])(content):
            yield name, Reply(name, params)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(data_dir("responses"))


@pytest.mark.parametrize("locale", available_locales())
def test_every_template_has_a_budget(renderer: Renderer, locale: str) -> None:
    assert renderer.template_names(locale) <= CATEGORY.keys() | _extra_categories().keys()


@pytest.mark.parametrize("locale", available_locales())
def test_replies_fit_their_word_budgets(renderer: Renderer, locale: str) -> None:
    categories = {**CATEGORY, **_extra_categories()}
    over = []
    for name, reply in all_replies(renderer, locale):
        speech = renderer.render(locale, reply)
        budget = BUDGETS[categories[name]]
        if words(speech.ssml) > budget:
            over.append(f"{name}{dict(reply.params)}: {words(speech.ssml)} > {budget}")
        if speech.reprompt is not None and words(speech.reprompt) > BUDGETS["reprompt"]:
            over.append(f"{name} reprompt: {words(speech.reprompt)} > {BUDGETS['reprompt']}")
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
    content = renderer.content(locale)
    for reply in [Reply("launch"), *(Reply("relief", p) for p in PARAMS["relief"](content))]:
        first = ssml_to_text(renderer.render(locale, reply).ssml).split()[0]
        assert first in {"Stop", "Flex", "Pull", "Straighten"}, (reply, first)


@pytest.mark.parametrize("locale", available_locales())
def test_magnesium_amount_is_magnesium(renderer: Renderer, locale: str) -> None:
    """FACTS.md corrects the seed: 310 to 420 mg a day is magnesium, not potassium."""
    text = renderer.render(locale, Reply("tip", {"topic": "magnesium"})).text
    assert "magnesium" in text and "four hundred" in text and "twenty milligrams" in text
    potassium = renderer.render(locale, Reply("tip", {"topic": "potassium"})).text
    assert "milligrams" not in potassium and "four point seven grams" in potassium


def _extra_categories() -> dict[str, str]:
    """Categories for templates added by the guided routines, kept beside their tests."""
    try:
        from tests.test_routines import TEMPLATE_CATEGORIES
    except ImportError:
        return {}
    return dict(TEMPLATE_CATEGORIES)


def _extra_params() -> dict[str, ParamSets]:
    """The values the guided-routine templates are rendered with, kept beside their tests."""
    try:
        from tests.test_routines import TEMPLATE_PARAMS
    except ImportError:
        return {}
    return dict(TEMPLATE_PARAMS)
