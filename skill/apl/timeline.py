"""When things are said in a reply's SSML: words read at a speaking rate, breaks as written.

Alexa tells a screen nothing about the progress of the outputSpeech it is playing, so a countdown
on the device has to know in advance when the spoken hold starts and ends. It is worked out here
from the same SSML that is spoken: its words at the skill's rate (the prosody rate inside the
SSML), its breaks exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Final

from skill.speech import word_count

# A hold is spoken as a chain of breaks of at most ten seconds with a few words between them;
# the other breaks in a reply are short pauses (half a second or so) between sentences.
HOLD_BREAK_MS: Final = 1000
_TOKENS: Final = re.compile(r"<break\b[^>]*?\btime=\"(\d+(?:\.\d+)?)(ms|s)\"[^>]*/>|<[^>]*>|[^<]+")
_RATE: Final = re.compile(r"<prosody\b[^>]*\brate=\"(\d+(?:\.\d+)?)%\"")


@dataclass(frozen=True)
class Hold:
    """A timed hold: how long its breaks add up to, and when (ms after the speech starts) the
    first break begins and the last one ends."""

    seconds: float
    starts_ms: int
    ends_ms: int


def hold_of(ssml: str, words_per_minute: float) -> Hold | None:
    """The hold spoken in `ssml` (its breaks of a second or more), or None when it has none."""
    rate = _RATE.search(ssml)
    per_word_ms = 60_000 / (words_per_minute * (float(rate.group(1)) / 100 if rate else 1.0))
    now = 0.0
    starts: float | None = None
    ends = 0.0
    total_ms = 0.0
    for match in _TOKENS.finditer(ssml):
        amount, unit = match.group(1), match.group(2)
        if amount is not None:
            pause = float(amount) * (1000 if unit == "s" else 1)
            if pause >= HOLD_BREAK_MS:
                starts = now if starts is None else starts
                ends = now + pause
                total_ms += pause
            now += pause
        elif not match.group(0).startswith("<"):
            now += per_word_ms * word_count(unescape(match.group(0)))
    if starts is None:
        return None
    return Hold(seconds=total_ms / 1000, starts_ms=round(starts), ends_ms=round(ends))
