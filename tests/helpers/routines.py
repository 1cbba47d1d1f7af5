"""What the routine tests share: the routines, the words that walk them, the hold's breaks."""

from __future__ import annotations

import re

from skill.locales import DEFAULT_LOCALE
from skill.speech import Renderer, Reply

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

# The countdown's breaks are written in seconds, the short pauses around them in milliseconds.
HOLD_BREAK = re.compile(r'<break time="(\d+)s"\s*/>')


def expected(renderer: Renderer, reply: Reply, locale: str = DEFAULT_LOCALE) -> str:
    """What the skill should say for this reply, as plain text."""
    return renderer.render(locale, reply).text
