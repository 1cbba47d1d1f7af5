"""The time of day of a bedtime reminder: read from an AMAZON.TIME slot, said in words."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Self

# AMAZON.TIME resolves a clock time to "HH:MM"; "tonight", "in the evening" and the like come as
# NI, EV, AF or MO, which are not a time to set a reminder at.
_SLOT_TIME: Final = re.compile(r"([01]\d|2[0-3]):([0-5]\d)", re.ASCII)
# "Ten" arrives as 10:00 whether the person meant morning or night. For a bedtime reminder, an
# hour from five to eleven is read as evening; the question then says "p.m." aloud, so a wrong
# reading is heard and refused before anything is set.
_EVENING_FROM: Final = 5


@dataclass(frozen=True, order=True)
class ClockTime:
    """A time of day, 24-hour."""

    hour: int
    minute: int

    @classmethod
    def parse(cls, value: object) -> Self | None:
        """ "HH:MM" (a slot value, a stored setting, a token echoed back), else None."""
        if not isinstance(value, str):
            return None
        match = _SLOT_TIME.fullmatch(value)
        return cls(int(match[1]), int(match[2])) if match else None

    def text(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    def at_bedtime(self) -> ClockTime:
        """The evening reading of an ambiguous morning hour (see _EVENING_FROM)."""
        if _EVENING_FROM <= self.hour < 12:
            return ClockTime(self.hour + 12, self.minute)
        return self


@dataclass(frozen=True)
class ClockWords:
    """How a locale says a time of day: number words and the parts around them."""

    hours: tuple[str, ...]  # 12 words, "twelve" first
    minutes: tuple[str, ...]  # 60 words, "" first (on the hour), "oh five" for 05
    am: str
    pm: str
    midnight: str
    noon: str

    @classmethod
    def from_content(cls, raw: Mapping[str, Any]) -> ClockWords:
        hours, minutes = _words(raw, "hours", 12), _words(raw, "minutes", 60)
        parts = [raw.get(k) for k in ("am", "pm", "midnight", "noon")]
        if not all(isinstance(p, str) and p for p in parts):
            raise ValueError("reminders.clock needs am, pm, midnight and noon")
        return cls(hours, minutes, *(str(p) for p in parts))

    def say(self, time: ClockTime) -> str:
        """ "ten p.m.", "nine thirty p.m.", "midnight"."""
        if time.minute == 0 and time.hour in (0, 12):
            return self.midnight if time.hour == 0 else self.noon
        period = self.am if time.hour < 12 else self.pm
        words = [self.hours[time.hour % 12], self.minutes[time.minute], period]
        return " ".join(w for w in words if w)


def _words(raw: Mapping[str, Any], key: str, count: int) -> tuple[str, ...]:
    value: Sequence[Any] | None = raw.get(key)
    if not isinstance(value, list) or len(value) != count:
        raise ValueError(f"reminders.clock.{key} needs {count} words")
    if not all(isinstance(w, str) for w in value):
        raise ValueError(f"reminders.clock.{key} holds something that is not a word")
    return tuple(value)
