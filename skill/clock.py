"""Times of day and time zones, as the reminders, the content checks and the simulator read them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Self
from zoneinfo import available_timezones

# AMAZON.TIME resolves a clock time to "HH:MM"; "tonight", "in the evening" and the like come as
# NI, EV, AF or MO, which are not a time to set a reminder at.
_CLOCK_TIME: Final = re.compile(r"([01]\d|2[0-3]):([0-5]\d)", re.ASCII)
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
        match = _CLOCK_TIME.fullmatch(value)
        return cls(int(match[1]), int(match[2])) if match else None

    def text(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    def at_bedtime(self) -> ClockTime:
        """The evening reading of an ambiguous morning hour (see _EVENING_FROM)."""
        if _EVENING_FROM <= self.hour < 12:
            return ClockTime(self.hour + 12, self.minute)
        return self


@cache
def known_zones() -> frozenset[str]:
    """IANA time zone names this machine knows (read once: it is a directory walk)."""
    return frozenset(available_timezones())
