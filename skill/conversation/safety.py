"""The safety routes of docs/facts.md: which answer a warning sign gets, whatever intent carried it.

What a person said reaches the skill as an intent and slots. A sign is found two ways: a RED_FLAG
slot id the model matched, or the words of any slot (Alexa fills a custom slot with words it
could not match, too: "swollen and I can't breathe"). The rules are data, in
responses/<locale>/safety.toml; the more urgent route wins, and its line comes first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from typing import Final

from skill.content.schema import Safety, Sign
from skill.conversation.negation import without_negated
from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn
from skill.speech import Reply

_TRAILING_S: Final = re.compile(r"'s\b")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")


class Route(IntEnum):
    """docs/facts.md's four routes, most urgent first."""

    EMERGENCY = 1
    TODAY = 2
    DOCTOR = 3
    NONE = 4


def normalise(text: str) -> str:
    """Lowercase words with single spaces: "My calf's SWOLLEN, can't" -> "my calf swollen cant"."""
    text = _TRAILING_S.sub("", text.casefold().replace("\u2019", "'")).replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


@cache
def _padded(phrase: str) -> str:
    # The phrases are the content's few hundred, asked about several times a request: normalise
    # each once, not on every request (the text said is normalised once per request, by Heard).
    return f" {normalise(phrase)} "


def _has(text: str, phrase: str) -> bool:
    return _padded(phrase) in f" {text} "


def _any(text: str, phrases: Iterable[str]) -> bool:
    return any(_has(text, phrase) for phrase in phrases)


@dataclass(frozen=True)
class Heard:
    """What one request said that the safety rules look at."""

    signs: frozenset[str]  # RED_FLAG ids the model matched
    muscles: frozenset[str]  # MUSCLE ids the model matched
    words: str  # every slot's spoken words, normalised
    # The words of slots the model matched to no value: only these can turn a tip question or a
    # stretch request into a see-a-doctor answer ("tell me about medicines" is a tip).
    unmatched: str
    cramp: bool  # the intent itself says a cramp is happening


@dataclass(frozen=True)
class Assessment:
    """The route a request's signs take, and what else the answer needs."""

    route: Route
    signs: tuple[str, ...]
    cramp: bool


def _found(sign: Sign, signs: frozenset[str], text: str, said: str) -> bool:
    # An `unless` phrase cancels the sign wherever it was said ("dead tired": the model may put
    # "dead" in a RED_FLAG slot and "tired" in another), so it is looked for in all the words.
    if _any(said, sign.unless):
        return False
    if sign.id in signs:
        return True
    if sign.words and _any(text, sign.words):
        return True
    return bool(sign.all_of) and all(_any(text, group) for group in sign.all_of)


def without_phrases(text: str, phrases: Iterable[str]) -> str:
    """`text`, already normalised, with every whole-word occurrence of each phrase taken out."""
    for phrase in phrases:
        text = f" {text} ".replace(_padded(phrase), " ").strip()
    return text


def _without_remedies(safety: Safety, text: str) -> str:
    # "the ice pack" is a choice of relief, "a warm towel" is not a warm calf, and "out of the
    # blue" or "knee to my chest" says nothing about a colour or a chest.
    return without_phrases(text, (*safety.remedies, *safety.idioms))


@cache
def _negation(
    safety: Safety,
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...], frozenset[str]]:
    """The sign phrases, negators and skippable words, as word tuples, once per content."""
    phrases = {
        tuple(normalise(phrase).split())
        for sign in safety.signs
        for phrase in (*sign.words, *(word for group in sign.all_of for word in group))
    }
    negators = tuple(tuple(normalise(word).split()) for word in safety.negators)
    return tuple(sorted(phrases)), negators, frozenset(map(normalise, safety.negation_skips))


def _signs(safety: Safety, heard: Heard, said: str) -> frozenset[str]:
    """The RED_FLAG ids matched, less those whose words were said only as absent or inside an
    idiom or a remedy (in the words heard, not in `said`): the model may put "swollen" in a
    RED_FLAG slot and "not" in another, or "gasping" in one and "for a cuppa" in another."""
    by_id = {sign.id: sign for sign in safety.signs}
    return frozenset(
        found
        for found in heard.signs
        if found not in by_id
        or _any(said, by_id[found].words)
        or not _any(heard.words, by_id[found].words)
    )


def assess(safety: Safety, heard: Heard) -> Assessment:
    """The most urgent route among the signs heard (Route.NONE when there is none)."""
    negation = _negation(safety)
    plain = _without_remedies(safety, heard.words)
    said = without_negated(plain, *negation)
    signs = _signs(safety, heard, said)
    # A RED_FLAG value the model matched counts as its sign named, so a sign made of two
    # ("cold and numb") is found when one part came as a value: "gone dead" is numbness.
    named = " ".join(normalise(sign) for sign in sorted(signs))
    text = f"{said} {named}".strip()
    unmatched = without_negated(_without_remedies(safety, heard.unmatched), *negation)
    leg = bool(heard.muscles & set(safety.leg_muscles)) or _any(text, safety.leg_words)
    found: list[tuple[Route, str]] = []
    for sign in safety.signs:
        route = Route(sign.leg_route if leg and sign.leg_route is not None else sign.route)
        # An urgent sign counts wherever it was said; a see-a-doctor one only from a RED_FLAG
        # value or from words the model could not place.
        if _found(sign, signs, text if route <= Route.TODAY else unmatched, heard.words):
            found.append((route, sign.id))
    found.sort()
    route = found[0][0] if found else Route.NONE
    cramp = heard.cramp or _any(text, safety.cramp_words)
    return Assessment(route, tuple(sign for _, sign in found if _ != Route.NONE), cramp)


def warning_answer(turn: Turn, assessment: Assessment, muscle: str | None) -> Answer | None:
    """The answer a warning sign gets, or None when no route above NONE applies."""
    if assessment.route is Route.EMERGENCY:
        return Answer(Reply("emergency"), end=True)
    if assessment.route is Route.TODAY:
        return Answer(Reply("see_today"), end=True)
    if assessment.route is Route.DOCTOR:
        if assessment.cramp:
            # Relief first, then one short sentence about seeing a doctor.
            return Answer(
                Reply("relief_then_doctor", {"muscle": relief_for(turn, muscle)}), end=True
            )
        return Answer(Reply("red_flag"), end=True)
    return None


def relief_for(turn: Turn, muscle: str | None) -> str:
    """The relief key for a MUSCLE id: the id when there is relief for it, else the general one."""
    return muscle if muscle is not None and muscle in turn.content.relief else "general"


def in_a_stretch(turn: Turn) -> bool:
    """A guided routine is going (not paused, nor only offered at launch)."""
    return turn.state.routine is not None and not turn.state.routine.paused


def relief_answer(turn: Turn, muscle: str | None) -> Answer:
    """Relief as usual; in the middle of a routine, "stop that stretch" comes first."""
    relief = relief_for(turn, muscle)
    if in_a_stretch(turn):
        # The place is kept: "next" goes on, "repeat" says the step again.
        return Answer(Reply("stretch_hurts", {"muscle": relief}), repeat=turn.state.last)
    return Answer(Reply("relief", {"muscle": relief}), offer=Offer.STRETCH)
