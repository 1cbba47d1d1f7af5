"""Content against the interaction model: every slot id a handler turns into content has some, and
content looked up by a slot id names ids the model has.

The handlers map MUSCLE ids to relief and routines, TIP_TOPIC ids to tips, ROUTINE ids to routines,
RED_FLAG ids to safety signs and HEAT_OR_COLD ids to the warmth-or-cold answer. A model value with
no content would fail, or fall silently to something general, in the middle of a conversation; a
content key no model id names is never reached. Both are refused when the app starts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import fields
from typing import Final

from skill.content.schema import HeatOrCold, LocaleContent
from skill.content.store import ContentError, ContentStore
from skill.interaction_model import InteractionModel

# The slot types whose ids the handlers look content up by.
CONTENT_SLOT_TYPES: Final = ("MUSCLE", "TIP_TOPIC", "ROUTINE", "RED_FLAG", "HEAT_OR_COLD")
# The relief said when no muscle (or none we know) was named; no MUSCLE id.
GENERAL_RELIEF: Final = "general"
# heat_or_cold's `both` is said when no HEAT_OR_COLD id was heard; the other fields are ids.
_REMEDIES: Final = frozenset(field.name for field in fields(HeatOrCold)) - {"both"}


def slot_content_problems(content: LocaleContent, model: InteractionModel) -> list[str]:
    """Each way `content` and `model` disagree about slot ids, as a sentence; [] if none."""
    missing = [name for name in CONTENT_SLOT_TYPES if name not in model.slot_types]
    if missing:
        return [f"the model has no slot type {name}" for name in missing]
    ids = {name: frozenset(model.slot_types[name].values) for name in CONTENT_SLOT_TYPES}
    muscles = ids["MUSCLE"]
    word_signs = {sign.id for sign in content.safety.signs if sign.words or sign.all_of}
    signs = {sign.id for sign in content.safety.signs}
    return [
        *_without("MUSCLE", muscles, "relief", content.relief),
        *_without("TIP_TOPIC", ids["TIP_TOPIC"], "tips.text", content.tips.text),
        *_without("ROUTINE", ids["ROUTINE"], "routines", content.routines),
        *_without("RED_FLAG", ids["RED_FLAG"], "safety.signs", signs),
        *_without("HEAT_OR_COLD", ids["HEAT_OR_COLD"], "heat_or_cold", _REMEDIES),
        *_unknown("relief", set(content.relief) - {GENERAL_RELIEF}, "MUSCLE", muscles),
        *_unknown("routines", content.routines, "ROUTINE", ids["ROUTINE"]),
        *(
            problem
            for name, routine in content.routines.items()
            for problem in _unknown(f"routines.{name}.muscles", routine.muscles, "MUSCLE", muscles)
        ),
        *_unknown("safety.leg_muscles", content.safety.leg_muscles, "MUSCLE", muscles),
        # A sign with no words of its own is found by its RED_FLAG id alone.
        *_unknown("safety.signs", signs - word_signs, "RED_FLAG", ids["RED_FLAG"]),
    ]


def check_slot_content(store: ContentStore, models: Mapping[str, InteractionModel]) -> None:
    """ContentError naming every disagreement, for each locale that has a model."""
    problems = [
        f"{locale}: {problem}"
        for locale, model in sorted(models.items())
        for problem in slot_content_problems(store.content(locale), model)
    ]
    if problems:
        raise ContentError("content and interaction model disagree: " + "; ".join(problems))


def _without(
    slot_type: str, ids: Iterable[str], table: str, keys: Collection[str]
) -> Iterable[str]:
    for value in sorted(set(ids) - set(keys)):
        yield f"{slot_type} id {value!r} has no entry in {table}"


def _unknown(
    table: str, keys: Iterable[str], slot_type: str, ids: Collection[str]
) -> Iterable[str]:
    for key in sorted(set(keys) - set(ids)):
        yield f"{table} names {key!r}, which is no {slot_type} id"
