"""A bedtime reminder's time of day, said in the locale's words."""

from __future__ import annotations

from skill.clock import ClockTime
from skill.content import LocaleContent


def say_time(content: LocaleContent, time: ClockTime) -> str:
    """ "ten p.m.", "nine thirty p.m.", "ten oh five p.m.", "midnight", in the locale's words."""
    clock, numbers = content.reminders.clock, content.numbers.words
    if time.minute == 0 and time.hour in (0, 12):
        return clock.midnight if time.hour == 0 else clock.noon
    hour = numbers[time.hour % 12 or 12]
    minute = "" if time.minute == 0 else numbers[time.minute]
    if 0 < time.minute < 10:
        minute = f"{clock.oh} {minute}"
    period = clock.am if time.hour < 12 else clock.pm
    return " ".join(word for word in (hour, minute, period) if word)
