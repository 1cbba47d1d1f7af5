"""Every reply the skill can give, and the VOICE.md budget each answers to.

Shared by tests/test_voice.py (valid SSML, word budgets) and bench/speech.py (how long each reply
takes to say). The guided routines keep their own templates' categories and parameter sets beside
their tests (tests/test_routines.py), and are read from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

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

# Which budget each template answers to. A template missing here fails tests/test_voice.py, so a
# new reply cannot slip past the budgets.
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


def words(ssml: str) -> int:
    return sum(1 for token in ssml_to_text(ssml).split() if re.search(r"\w", token))


def budgeted_words(category: str, ssml: str) -> int:
    """The words VOICE.md's budget counts: for a guided-stretch step, those before its hold (the
    countdown and "say next" that follow are the hold itself, not the step's instruction)."""
    if category == "step":
        ssml = ssml.split("<break", 1)[0]
    return words(ssml)


def categories() -> dict[str, str]:
    """Every template's category, the guided routines' included."""
    return {**CATEGORY, **extra_categories()}


def all_replies(renderer: Renderer, locale: str) -> Iterator[tuple[str, Reply]]:
    """(template, reply) for every template, with every parameter set it can be given."""
    content = renderer.content(locale)
    params_of = {**PARAMS, **extra_params()}
    for name in sorted(renderer.template_names(locale)):
        for params in params_of.get(name, lambda _: [{}])(content):
            yield name, Reply(name, params)


def step_lead_replies(renderer: Renderer, locale: str) -> Iterator[tuple[str, Reply]]:
    """Every routine step with each lead said in front of it ("Relief stretches, six steps.",
    "Going back."...), as the routine handlers give them; all_replies has the bare steps."""
    try:
        from tests.test_routines import leads_for, step_reply
    except ImportError:
        return
    for name, routine in renderer.content(locale).get("routines", {}).items():
        for index in range(len(routine["steps"])):
            for lead in leads_for(index):
                if lead is not None:
                    yield "step", step_reply(name, index, lead)


def extra_categories() -> dict[str, str]:
    """Categories for templates added by the guided routines, kept beside their tests."""
    try:
        from tests.test_routines import TEMPLATE_CATEGORIES
    except ImportError:
        return {}
    return dict(TEMPLATE_CATEGORIES)


def extra_params() -> dict[str, ParamSets]:
    """The values the guided-routine templates are rendered with, kept beside their tests."""
    try:
        from tests.test_routines import TEMPLATE_PARAMS
    except ImportError:
        return {}
    return dict(TEMPLATE_PARAMS)
