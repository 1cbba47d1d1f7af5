"""Where a skill is named in what is said, and where the request then lies.

The forms are Amazon's ("Understand How Users Invoke Custom Skills"), their words one language's
phrases file (phrases/<language>.toml): "open <name>" alone is a launch; "ask <name> [to] <request>"
and "open <name> and <request>" carry a request after the name; "<request> using <name>" before
it; and any of them may follow a lead-in ("can you ask cramp relief ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from skill.simulator.builtin_phrases import BuiltinPhrases
from skill.simulator.samples import word_keys


@dataclass(frozen=True)
class Invoked:
    """One reading of the words as naming the skill: word positions, in the words as said."""

    # Where the phrase starts (after a lead-in).
    start: int
    # Where the request may start, tried each ("ask X to ..." or "ask X ..."); empty otherwise.
    request_starts: tuple[int, ...] = ()
    # "<request> using <name>": where that request ends; None otherwise.
    request_end: int | None = None

    @property
    def launch(self) -> bool:
        """The name with no request: a LaunchRequest."""
        return not self.request_starts and self.request_end is None


class InvocationForms:
    """One language's ways of naming one skill; build once, use many times."""

    def __init__(self, phrases: BuiltinPhrases, invocation_name: str) -> None:
        self._name = word_keys(invocation_name)
        self._launch = [word_keys(word) for word in phrases.launch]
        self._ask = [word_keys(word) for word in phrases.ask]
        self._connecting = frozenset(phrases.connecting)
        self._trailing = [word_keys(word) for word in phrases.trailing]
        self._lead_ins = [[], *(word_keys(lead) for lead in phrases.lead_in)]

    def readings(self, keys: Sequence[str]) -> list[Invoked]:
        """Every reading of `keys` (word keys) that names the skill, without a lead-in first."""
        found = []
        for lead in self._lead_ins:
            if list(keys[: len(lead)]) == lead and len(lead) < len(keys):
                reading = self._named(keys, len(lead))
                if reading is not None:
                    found.append(reading)
        return found

    def _named(self, keys: Sequence[str], start: int) -> Invoked | None:
        name = self._name
        for verb in [*self._launch, *self._ask]:
            rest = start + len(verb) + len(name)
            if (
                list(keys[start : start + len(verb)]) != verb
                or keys[rest - len(name) : rest] != name
            ):
                continue
            if rest == len(keys):
                return Invoked(start)
            if verb in self._ask:
                # "ask X to <request>" or "ask X <request>": Alexa accepts both; try each.
                starts = (rest, rest + 1) if keys[rest] in self._connecting else (rest,)
                return Invoked(start, request_starts=starts)
            if keys[rest] == "and" and rest + 1 < len(keys):
                return Invoked(start, request_starts=(rest + 1,))
        for joiner in self._trailing:
            tail = len(joiner) + len(name)
            if len(keys) - start > tail and list(keys[-tail:]) == [*joiner, *name]:
                return Invoked(start, request_end=len(keys) - tail)
        return None


def model_inputs(readings: Sequence[Invoked], words: Sequence[str]) -> tuple[str | None, ...]:
    """What Alexa hands the skill's model for `words`, in the order she tries them: None for a
    launch (the name alone), else the request words of each reading of a one-shot form ("ask X
    to <request>" with and without "to"), or the words as said when no reading names the skill
    (inside a session). The resolver takes the first reading that is not a fallback."""
    if not readings:
        return (" ".join(words),)
    found: list[str | None] = []
    for reading in readings:
        if reading.launch:
            found.append(None)
        elif reading.request_end is not None:
            found.append(" ".join(words[reading.start : reading.request_end]))
        else:
            found.extend(" ".join(words[start:]) for start in reading.request_starts)
    return tuple(found)
