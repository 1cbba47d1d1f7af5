"""Every reply the skill can give, and the docs/voice.md word budget each answers to.

Development tooling, not used in serving: tests/test_voice.py checks every reply against its
budget and bench/speech.py times how long each takes to say. The budgets themselves are data, in
`responses/budgets.toml`; which parameters each template is rendered with is read from the
content here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from skill.clock import ClockTime
from skill.content import Lead, LocaleContent
from skill.conversation.reminder_time import say_time
from skill.data import data_dir
from skill.speech import Renderer, Reply, ssml_to_text, word_count

BUDGETS_FILE = "budgets.toml"
REPROMPT = "reprompt"  # the budget every reprompt answers to
STEP = "step"  # a guided-stretch step: counted up to its hold

ParamSets = Callable[[LocaleContent], list[dict[str, Any]]]


class BudgetError(ValueError):
    """budgets.toml is malformed: a budget that is not a positive count, or an unknown one."""


@dataclass(frozen=True)
class Budgets:
    """Words allowed per budget, and the budget each template answers to."""

    words: Mapping[str, int]
    templates: Mapping[str, str]

    def of(self, template: str) -> int:
        return self.words[self.templates[template]]


def load_budgets(path: Path | None = None) -> Budgets:
    """Read and check budgets.toml (by default the one beside the responses)."""
    path = path or data_dir("responses") / BUDGETS_FILE
    raw = tomllib.loads(path.read_text("utf-8"))
    words, templates = raw.get("budgets"), raw.get("templates")
    if not isinstance(words, dict) or not isinstance(templates, dict):
        raise BudgetError(f"{path}: needs tables [budgets] and [templates]")
    for name, count in words.items():
        if type(count) is not int or count <= 0:
            raise BudgetError(f"{path}: budget {name!r} is not a positive word count: {count!r}")
    for name in (REPROMPT, STEP):
        if name not in words:
            raise BudgetError(f"{path}: no {name!r} budget")
    for template, budget in templates.items():
        if budget not in words:
            raise BudgetError(f"{path}: template {template!r} has no budget {budget!r}")
    return Budgets(words=dict(words), templates=dict(templates))


def words(ssml: str) -> int:
    """Spoken words: tags dropped, tokens without a letter or digit not counted."""
    return word_count(ssml_to_text(ssml))


def budgeted_words(category: str, ssml: str) -> int:
    """The words a budget in docs/voice.md counts: for a guided-stretch step, those before its
    hold (the countdown and "say next" that follow are the hold itself, not the instruction)."""
    if category == STEP:
        ssml = ssml.split("<break", 1)[0]
    return words(ssml)


def positions(content: LocaleContent) -> list[dict[str, Any]]:
    """Every (routine, step) of a locale's routines."""
    return [
        {"routine": name, "step": step}
        for name, routine in content.routines.items()
        for step in range(len(routine.steps))
    ]


# The values each guided-routine template is rendered with.
ROUTINE_PARAMS: Final[Mapping[str, ParamSets]] = MappingProxyType(
    {
        "step": positions,
        "steps_left": positions,
        "routine_paused": positions,
        "routine_stop": positions,
        "launch_resume": positions,
        "routine_help": lambda content: [{"routine": name} for name in content.routines],
    }
)


def reminder_times(content: LocaleContent) -> list[str]:
    """The longest, a short and the usual way a reminder's time is said."""
    return [say_time(content, ClockTime(h, m)) for h, m in ((23, 59), (0, 0), (22, 0), (21, 5))]


def _reminder_set(content: LocaleContent) -> list[dict[str, Any]]:
    zones = ["", content.reminders.zone_words]
    return [{"time": t, "zone": z} for t in reminder_times(content) for z in zones]


# The values each bedtime-reminder template is rendered with.
REMINDER_PARAMS: Final[Mapping[str, ParamSets]] = MappingProxyType(
    {
        "reminder_offer": lambda content: [{"time": t} for t in reminder_times(content)],
        "routine_done_reminder": lambda content: [{"time": t} for t in reminder_times(content)],
        "reminder_status": lambda content: [{"time": t} for t in reminder_times(content)],
        "reminder_set": _reminder_set,
        "reminder_moved": _reminder_set,
        "reminder_unavailable": lambda content: [
            {"action": field.name} for field in fields(content.reminders.unavailable)
        ],
    }
)

# The values each template can be rendered with, taken from the content itself; a template not
# here takes none.
PARAMS: Final[Mapping[str, ParamSets]] = MappingProxyType(
    {
        "relief": lambda content: [{"muscle": muscle} for muscle in content.relief],
        "relief_then_doctor": lambda content: [{"muscle": muscle} for muscle in content.relief],
        "stretch_hurts": lambda content: [{"muscle": muscle} for muscle in content.relief],
        "heat_or_cold": lambda content: [{"remedy": r} for r in ("both", "heat", "cold")],
        "tip": lambda content: [{"topic": topic} for topic in content.tips.order],
        **ROUTINE_PARAMS,
        **REMINDER_PARAMS,
    }
)


def _no_params(content: LocaleContent) -> list[dict[str, Any]]:
    return [{}]


def leads_for(index: int) -> tuple[Lead | None, ...]:
    """The leads that can come before step `index` (None: the bare step)."""
    return (None, *(lead for lead in Lead if index == 0 or not lead.first_step_only))


def step_reply(routine: str, step: int, lead: Lead | None = None) -> Reply:
    params: dict[str, str | int] = {"routine": routine, "step": step}
    return Reply("step", params if lead is None else {**params, "lead": lead})


def all_replies(renderer: Renderer, locale: str) -> Iterator[tuple[str, Reply]]:
    """(template, reply) for every template, with every parameter set it can be given."""
    content = renderer.store.content(locale)
    for name in sorted(renderer.template_names(locale)):
        for params in PARAMS.get(name, _no_params)(content):
            yield name, Reply(name, params)


def step_lead_replies(renderer: Renderer, locale: str) -> Iterator[tuple[str, Reply]]:
    """Every routine step with each lead said in front of it ("Relief stretches, six steps.",
    "Going back."...), as the routine handlers give them; all_replies has the bare steps."""
    for name, routine in renderer.store.content(locale).routines.items():
        for index in range(len(routine.steps)):
            for lead in leads_for(index):
                if lead is not None:
                    yield STEP, step_reply(name, index, lead)
