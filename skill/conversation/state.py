"""Session state: what the skill keeps between turns, validated on every request.

Session attributes come back from the client, so nothing in them is trusted: each field is checked
on its own, and a field that is missing, of the wrong type, too large or unknown falls back to its
empty value. A tampered field never becomes an error, only a fresh start for that field.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeGuard

from skill.clock import ClockTime
from skill.content import LocaleContent
from skill.speech import ParamValue, Reply

MAX_STILL_COUNT = 10
_MAX_PARAMS = 8
_MAX_TEXT = 64


class Offer(StrEnum):
    """The yes/no question the last response ended with."""

    STRETCH = "stretch"
    TIP = "tip"
    STILL = "still"
    CONTINUE = "continue"
    REMINDER = "reminder"  # "Shall I remind you every night at ...?" (the time: reminder_time)


@dataclass(frozen=True)
class RoutinePosition:
    """Where a person is in a guided routine; `step` counts from 0."""

    routine: str
    step: int
    paused: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"routine": self.routine, "step": self.step, "paused": self.paused}


@dataclass
class SessionState:
    offer: Offer | None = None
    tips_heard: list[str] = field(default_factory=list)
    still_count: int = 0
    last: Reply | None = None
    routine: RoutinePosition | None = None
    # The time the reminder question named (Offer.REMINDER).
    reminder_time: ClockTime | None = None

    def to_attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {"tipsHeard": list(self.tips_heard)}
        if self.offer is not None:
            attributes["offer"] = self.offer.value
        if self.still_count:
            attributes["stillCount"] = self.still_count
        if self.last is not None:
            attributes["last"] = self.last.to_json()
        if self.routine is not None:
            attributes["routine"] = self.routine.to_json()
        if self.reminder_time is not None:
            attributes["reminderTime"] = self.reminder_time.text()
        return attributes


@dataclass(frozen=True)
class Vocabulary:
    """The values a session attribute may legitimately hold, taken from the content."""

    tips: Collection[str]
    templates: Collection[str]
    routine_lengths: Mapping[str, int]

    @classmethod
    def of(cls, content: LocaleContent, templates: Collection[str]) -> Vocabulary:
        """A locale's vocabulary: its tips and routines, and the reply templates it can reach."""
        return cls(
            tips=frozenset(content.tips.order),
            templates=frozenset(templates),
            # Shared by every request of the locale, so read-only.
            routine_lengths=MappingProxyType(
                {name: len(routine.steps) for name, routine in content.routines.items()}
            ),
        )


def _is_int(value: object) -> TypeGuard[int]:
    # bool is an int in Python; a JSON true is not a count.
    return isinstance(value, int) and not isinstance(value, bool)


def _offer(raw: object) -> Offer | None:
    try:
        return Offer(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _tips(raw: object, known: Collection[str]) -> list[str]:
    if not isinstance(raw, list) or len(raw) > len(known):
        return []
    heard: list[str] = []
    for tip in raw:
        if isinstance(tip, str) and tip in known and tip not in heard:
            heard.append(tip)
    return heard


def _still(raw: object) -> int:
    return raw if _is_int(raw) and 0 <= raw <= MAX_STILL_COUNT else 0


def _param(value: object) -> ParamValue | None:
    if isinstance(value, str) and len(value) <= _MAX_TEXT:
        return value
    if _is_int(value) and abs(value) <= 10**6:
        return value
    return None


def _last(raw: object, templates: Collection[str]) -> Reply | None:
    if not isinstance(raw, Mapping):
        return None
    template, params = raw.get("template"), raw.get("params", {})
    if not isinstance(template, str) or template not in templates:
        return None
    if not isinstance(params, Mapping) or len(params) > _MAX_PARAMS:
        return None
    clean: dict[str, ParamValue] = {}
    for key, value in params.items():
        checked = _param(value)
        if not isinstance(key, str) or len(key) > _MAX_TEXT or checked is None:
            return None
        clean[key] = checked
    return Reply(template, clean)


def routine_position(raw: object, lengths: Mapping[str, int]) -> RoutinePosition | None:
    """A routine position from untrusted data (session attributes, a saved row), or None.

    `lengths` maps each known routine to its number of steps; anything else is no position.
    """
    if not isinstance(raw, Mapping):
        return None
    routine, step, paused = raw.get("routine"), raw.get("step"), raw.get("paused", False)
    if not isinstance(routine, str) or routine not in lengths:
        return None
    if not _is_int(step) or not 0 <= step < lengths[routine]:
        return None
    return RoutinePosition(routine, step, paused if isinstance(paused, bool) else False)


def load_state(attributes: object, vocabulary: Vocabulary) -> SessionState:
    """Session state from raw session attributes, each field validated on its own."""
    raw: Mapping[str, Any] = attributes if isinstance(attributes, Mapping) else {}
    return SessionState(
        offer=_offer(raw.get("offer")),
        tips_heard=_tips(raw.get("tipsHeard"), vocabulary.tips),
        still_count=_still(raw.get("stillCount")),
        last=_last(raw.get("last"), vocabulary.templates),
        routine=routine_position(raw.get("routine"), vocabulary.routine_lengths),
        reminder_time=ClockTime.parse(raw.get("reminderTime")),
    )
