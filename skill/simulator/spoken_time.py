"""AMAZON.TIME as the simulator resolves it: spoken words to Alexa's "HH:MM" (or MO/AF/EV/NI).

An approximation of Alexa's built-in slot type, from its documented outputs: a clock time is
"HH:MM" in 24-hour form, taken as said when no a.m./p.m. is given ("ten" is 10:00), and a vague
time of day is one of MO, AF, EV, NI. The words are data: the [time] table of
phrases/<language>.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from skill.simulator.builtin_phrases import builtin_phrases

_DIGITS = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")


@dataclass(frozen=True)
class TimeWords:
    raw: dict[str, Any]

    def hour(self, word: str) -> int | None:
        hours: list[str] = self.raw["hours"]
        return hours.index(word) if word in hours else None

    def minutes(self, words: list[str]) -> int | None:
        """Minute words after an hour: "", "oh five", "fifteen", "forty five", "o'clock"."""
        ones, teens, tens = self.raw["ones"], self.raw["teens"], self.raw["tens"]
        if not words or words == ["o'clock"] or words[0] in self.raw["oclock"]:
            return 0 if len(words) <= 1 else None
        if words[0] in self.raw["oh"] and len(words) == 2 and words[1] in ones[1:]:
            return int(ones.index(words[1]))
        if len(words) == 1 and words[0] in teens:
            return 10 + int(teens.index(words[0]))
        if words[0] in tens and len(words) <= 2:
            extra = ones.index(words[1]) if len(words) == 2 and words[1] in ones[1:] else 0
            return None if len(words) == 2 and not extra else int(tens[words[0]]) + int(extra)
        return None


@cache
def time_words(language: str) -> TimeWords | None:
    raw = builtin_phrases(language).time
    return TimeWords(dict(raw)) if raw else None


def resolve_time(spoken: str, language: str = "en") -> str | None:
    """Alexa's AMAZON.TIME value for `spoken`, or None if it is not a time it would resolve."""
    words = time_words(language)
    text = " ".join(spoken.lower().replace("-", " ").split())
    if words is None or not text:
        return None
    digits = _DIGITS.fullmatch(text)
    if digits:
        hour, minute = int(digits[1]), int(digits[2] or 0)
        return _clock(hour, minute, _period(digits[3] or "", words))
    for table in ("named", "vague"):
        if text in words.raw[table]:
            return str(words.raw[table][text])
    text, period = _strip_period(text, words)
    return _spoken_clock(text.split(), period, words)


def _period(text: str, words: TimeWords) -> str:
    text = text.strip()
    if text in words.raw["am"]:
        return "am"
    return "pm" if text in words.raw["pm"] else ""


def _strip_period(text: str, words: TimeWords) -> tuple[str, str]:
    for period in ("am", "pm"):
        for phrase in sorted(words.raw[period], key=len, reverse=True):
            if text.endswith(" " + phrase):
                return text.removesuffix(" " + phrase), period
    return text, ""


def _spoken_clock(tokens: list[str], period: str, words: TimeWords) -> str | None:
    if len(tokens) >= 3 and tokens[-2] in (*words.raw["past"], *words.raw["to"]):
        # "half past ten", "quarter to ten", "twenty past nine"
        hour = words.hour(tokens[-1])
        offset = _offset(tokens[:-2], words)
        if hour is None or offset is None:
            return None
        if tokens[-2] in words.raw["to"]:
            hour, offset = (hour - 1) % 12, 60 - offset
        return _clock(hour or 12, offset, period)
    if len(tokens) == 2 and tokens[0] == words.raw["half"]:
        hour = words.hour(tokens[1])  # en-GB "half ten": 10:30
        return None if hour is None else _clock(hour or 12, 30, period)
    hour = words.hour(tokens[0]) if tokens else None
    minute = words.minutes(tokens[1:]) if hour is not None else None
    return None if hour is None or minute is None else _clock(hour or 12, minute, period)


def _offset(tokens: list[str], words: TimeWords) -> int | None:
    if tokens == [words.raw["half"]]:
        return 30
    if tokens in ([words.raw["quarter"]], ["a", words.raw["quarter"]]):
        return 15
    return words.minutes(tokens)


def _clock(hour: int, minute: int, period: str) -> str | None:
    if not (0 <= minute < 60 and 0 <= hour < 24):
        return None
    if period and not 1 <= hour <= 12:
        return None
    if period == "pm" and hour != 12:
        hour += 12
    elif period == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"
