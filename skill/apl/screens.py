"""What a reply shows on a screen: its document's name and datasources, from the spoken reply.

The words on screen are the words spoken: the speech's text, split at its first pause into the
headline (the instruction) and what follows (the offer). A guided-stretch step shows its routine,
its place in it, its instruction and the countdown of its hold instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from skill.apl.documents import AplDocuments
from skill.apl.timeline import hold_of
from skill.codec import PlainJson
from skill.content import LocaleContent
from skill.speech import Reply, Speech, ssml_to_text

STEP_DOCUMENT: Final = "step"
_BREAK: Final = re.compile(r"<break\b[^>]*/>")


@dataclass(frozen=True)
class StepView:
    """A guided-stretch step as the screen shows it."""

    routine: str
    number: int
    total: int
    text: str


@dataclass(frozen=True)
class Screen:
    """An APL document and the datasources it is rendered with."""

    name: str
    document: PlainJson
    datasources: dict[str, Any]


def text_datasources(ssml: str) -> dict[str, Any]:
    """{"screen": {"headline", "more"}}: the speech before its first pause, and the rest."""
    parts = [ssml_to_text(part) for part in _BREAK.split(ssml)]
    parts = [part for part in parts if part]
    headline = parts[0] if parts else ""
    return {"screen": {"headline": headline, "more": " ".join(parts[1:])}}


def step_datasources(step: StepView, ssml: str, words_per_minute: float) -> dict[str, Any]:
    """{"step": {...}}: the step, and its hold as spoken in `ssml` (0 seconds when it has none)."""
    hold = hold_of(ssml, words_per_minute)
    return {
        "step": {
            "routine": step.routine,
            "number": step.number,
            "total": step.total,
            "text": step.text,
            "hold": 0 if hold is None else round(hold.seconds),
            "holdStartsMs": 0 if hold is None else hold.starts_ms,
            "holdEndsMs": 0 if hold is None else hold.ends_ms,
        }
    }


def screen_for(
    documents: AplDocuments,
    locale: str,
    content: LocaleContent,
    reply: Reply,
    speech: Speech,
) -> Screen:
    """The screen for `reply` as spoken in `speech` (a step's routine and place read from its
    params, which rendering the speech has already proved valid)."""
    screens = documents.screens(locale)
    name = screens.document_for(reply.template)
    if name == STEP_DOCUMENT:
        routine, index = reply.params.get("routine"), reply.params.get("step")
        if not isinstance(routine, str) or not isinstance(index, int):
            raise ValueError(f"the {reply.template!r} screen needs a routine and a step")
        step = step_view(content, routine, index)
        datasources = step_datasources(step, speech.ssml, screens.words_per_minute)
    else:
        datasources = text_datasources(speech.ssml)
    return Screen(name, documents.document(locale, name), datasources)


def step_view(content: LocaleContent, routine: str, index: int) -> StepView:
    """Step `index` (from 0) of `routine` in a locale's content, as the step screen shows it."""
    stretch = content.routines[routine]
    step = stretch.steps[index]
    text = " ".join(part for part in (step.text, step.cue) if part)
    return StepView(
        routine=stretch.name[:1].upper() + stretch.name[1:],
        number=index + 1,
        total=len(stretch.steps),
        text=text,
    )
